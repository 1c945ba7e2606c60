{{/*
A worker Deployment. Arguments: root, component (cpu|gpu), worker (.Values.cpuWorker or .Values.gpuWorker).
The pod's grace period is the worker's drain time plus the margin its host waits on top
(workers/MetaRewarding.Worker/Hosting/WorkerHost.cs), so Kubernetes never kills a draining worker early.
*/}}
{{- define "metarewarding.worker" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $worker := .worker -}}
{{- $name := printf "%s-%s-worker" (include "metarewarding.fullname" $root) .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "metarewarding.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}-worker
spec:
  {{- if not $worker.autoscaling.enabled }}
  replicas: {{ $worker.replicas | int }}
  {{- end }}
  # A GPU worker is replaced with Recreate: the old pod drains and frees its GPU before the new one asks for one.
  strategy:
    type: {{ if eq .component "gpu" }}Recreate{{ else }}RollingUpdate{{ end }}
  selector:
    matchLabels:
      {{- include "metarewarding.selectorLabels" (dict "root" $root "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "metarewarding.labels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ .component }}-worker
    spec:
      serviceAccountName: {{ include "metarewarding.serviceAccountName" $root }}
      automountServiceAccountToken: false
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $v.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ add ($worker.gracefulShutdownSeconds | int) 15 }}
      containers:
        - name: worker
          image: {{ printf "%s:%s" $worker.image.repository (default (printf "%s-%s" $root.Chart.AppVersion .component) $worker.image.tag) | quote }}
          imagePullPolicy: {{ $worker.image.pullPolicy }}
          command: ["/app/metarewarding", "worker"]
          securityContext:
            {{- toYaml $v.securityContext | nindent 12 }}
          env:
            {{- include "metarewarding.env" . | nindent 12 }}
          {{- with $worker.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: artifacts
              mountPath: {{ $v.artifacts.mountPath | quote }}
            {{- if and $v.temporal.tls.enabled $v.temporal.tls.secretName }}
            - name: temporal-tls
              mountPath: /etc/temporal-tls
              readOnly: true
            {{- end }}
            {{- if $worker.shmSize }}
            - name: dshm
              mountPath: /dev/shm
            {{- end }}
      volumes:
        - name: artifacts
          persistentVolumeClaim:
            claimName: {{ include "metarewarding.claimName" $root }}
        {{- if and $v.temporal.tls.enabled $v.temporal.tls.secretName }}
        - name: temporal-tls
          secret:
            secretName: {{ $v.temporal.tls.secretName | quote }}
        {{- end }}
        {{- if $worker.shmSize }}
        - name: dshm
          emptyDir:
            medium: Memory
            sizeLimit: {{ $worker.shmSize | quote }}
        {{- end }}
      {{- with $worker.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $worker.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $worker.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{/*
A KEDA ScaledObject on one task queue with the `temporal` trigger (KEDA >= 2.17). Arguments: root, component,
worker, queueTypes. Trigger metadata values are strings, hence the quotes.
*/}}
{{- define "metarewarding.scaledObject" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $auto := .worker.autoscaling -}}
{{- $name := printf "%s-%s-worker" (include "metarewarding.fullname" $root) .component -}}
{{- $queue := index $v.taskQueues .component -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ $name }}
  labels:
    {{- include "metarewarding.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}-worker
spec:
  scaleTargetRef:
    name: {{ $name }}
  minReplicaCount: {{ $auto.minReplicas | int }}
  maxReplicaCount: {{ $auto.maxReplicas | int }}
  {{- with $auto.pollingInterval }}
  pollingInterval: {{ . | int }}
  {{- end }}
  {{- with $auto.cooldownPeriod }}
  cooldownPeriod: {{ . | int }}
  {{- end }}
  triggers:
    - type: temporal
      metadata:
        endpoint: {{ include "metarewarding.temporalAddress" $root | quote }}
        namespace: {{ $v.temporal.namespace | quote }}
        taskQueue: {{ required (printf "taskQueues.%s is required: the KEDA trigger of the %s worker scales on that task queue" .component .component) $queue | quote }}
        queueTypes: {{ .queueTypes | quote }}
        targetQueueSize: {{ required (printf "%sWorker.autoscaling.targetQueueSize is required" .component) $auto.targetQueueSize | toString | quote }}
        {{- with $auto.activationTargetQueueSize }}
        activationTargetQueueSize: {{ . | toString | quote }}
        {{- end }}
        {{- with $v.temporal.tls.serverName }}
        tlsServerName: {{ . | quote }}
        {{- end }}
        {{- range $key, $value := $auto.extraTriggerMetadata }}
        {{ $key }}: {{ $value | toString | quote }}
        {{- end }}
      {{- if include "metarewarding.kedaAuthenticated" $root }}
      authenticationRef:
        name: {{ include "metarewarding.fullname" $root }}-temporal
      {{- end }}
{{- end }}

{{/* Whether KEDA needs a TriggerAuthentication (TLS Secret or API key). */}}
{{- define "metarewarding.kedaAuthenticated" -}}
{{- if or (and .Values.temporal.tls.enabled .Values.temporal.tls.secretName) .Values.temporal.apiKey.secretName }}true{{ end }}
{{- end }}
