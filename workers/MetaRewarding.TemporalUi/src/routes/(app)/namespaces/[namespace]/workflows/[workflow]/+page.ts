// /namespaces/NS/workflows/ID opens the workflow's latest run, as in Temporal's own UI.
import { error, redirect } from '@sveltejs/kit';
import { fetchWorkflowForRunId } from '@temporalio/ui/services/workflow-service';

export const load = async ({ url, params }) => {
  const { runId } = await fetchWorkflowForRunId({ namespace: params.namespace, workflowId: params.workflow });
  if (runId) {
    redirect(302, `${url.pathname}/${runId}`);
  }
  error(404, `No workflow with id ${params.workflow}`);
};
