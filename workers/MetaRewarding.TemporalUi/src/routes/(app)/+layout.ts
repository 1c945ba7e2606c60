// What every page needs before it renders: the UI settings (/api/v1/settings), the namespaces, and the
// cluster and system info (the UI enables features by the server version and capabilities they report).
import { fetchCluster, fetchSystemInfo } from '@temporalio/ui/services/cluster-service';
import { fetchNamespaces } from '@temporalio/ui/services/namespaces-service';
import { fetchSettings } from '@temporalio/ui/services/settings-service';

import '../../app.css';

export const load = async ({ fetch }) => {
  const settings = await fetchSettings(fetch);
  fetchNamespaces(settings, fetch);
  const cluster = await fetchCluster(settings, fetch);
  const systemInfo = await fetchSystemInfo(settings, fetch);
  return { user: {}, settings, cluster, systemInfo };
};
