{{/* Names and labels. */}}
{{- define "metarewarding.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "metarewarding.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels of every object: the chart's, then name and instance (selectorLabels adds the worker component). */}}
{{- define "metarewarding.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/name: {{ include "metarewarding.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* What selects one worker's pods. Arguments: root, component (cpu|gpu). */}}
{{- define "metarewarding.selectorLabels" -}}
app.kubernetes.io/name: {{ include "metarewarding.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}-worker
{{- end }}

{{- define "metarewarding.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "metarewarding.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "metarewarding.claimName" -}}
{{- default (printf "%s-artifacts" (include "metarewarding.fullname" .)) .Values.artifacts.existingClaim }}
{{- end }}

{{/* The Temporal address, failing with the value's name when it is missing. */}}
{{- define "metarewarding.temporalAddress" -}}
{{- required "temporal.address is required: host:port of the Temporal frontend (e.g. --set temporal.address=temporal-frontend.temporal.svc.cluster.local:7233)" .Values.temporal.address }}
{{- end }}

{{/* Whether the TLS Secret carries a client certificate (mTLS). */}}
{{- define "metarewarding.clientCert" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.secretName .Values.temporal.tls.certKey }}true{{ end }}
{{- end }}

{{/*
The environment of a worker container: the worker's own settings (README.md, "Configuration reference"), as the
Temporal CLI's variables and METAREWARDING_Section__Key. tests/MetaRewarding.Worker.Tests/Deploy checks every name
against the worker's configuration. Arguments: root, component (cpu|gpu), worker (its values).
*/}}
{{- define "metarewarding.env" -}}
{{- $v := .root.Values -}}
- name: TEMPORAL_ADDRESS
  value: {{ include "metarewarding.temporalAddress" .root | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ required "temporal.namespace is required" $v.temporal.namespace | quote }}
{{- with $v.temporal.uiUrl }}
- name: METAREWARDING_Temporal__UiUrl
  value: {{ . | quote }}
{{- end }}
{{- if $v.temporal.tls.enabled }}
{{- if not (or $v.temporal.tls.secretName $v.temporal.tls.serverName $v.temporal.apiKey.secretName) }}
{{- fail "temporal.tls.enabled needs temporal.tls.secretName (client certificate or CA), temporal.tls.serverName, or temporal.apiKey.secretName: the worker turns TLS on from those" }}
{{- end }}
{{- if include "metarewarding.clientCert" .root }}
- name: TEMPORAL_TLS_CLIENT_CERT_PATH
  value: {{ printf "/etc/temporal-tls/%s" $v.temporal.tls.certKey | quote }}
- name: TEMPORAL_TLS_CLIENT_KEY_PATH
  value: {{ printf "/etc/temporal-tls/%s" (required "temporal.tls.keyKey is required with temporal.tls.certKey (the client private key)" $v.temporal.tls.keyKey) | quote }}
{{- end }}
{{- if and $v.temporal.tls.secretName $v.temporal.tls.caKey }}
- name: TEMPORAL_TLS_SERVER_CA_CERT_PATH
  value: {{ printf "/etc/temporal-tls/%s" $v.temporal.tls.caKey | quote }}
{{- end }}
{{- with $v.temporal.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- with $v.temporal.apiKey.secretName }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ required "temporal.apiKey.secretKey is required with temporal.apiKey.secretName" $v.temporal.apiKey.secretKey | quote }}
{{- end }}
- name: METAREWARDING_Worker__Queues
  value: {{ .component | quote }}
- name: METAREWARDING_Worker__CpuTaskQueue
  value: {{ required "taskQueues.cpu is required (the CPU task queue's name)" $v.taskQueues.cpu | quote }}
- name: METAREWARDING_Worker__GpuTaskQueue
  value: {{ required "taskQueues.gpu is required (the GPU task queue's name)" $v.taskQueues.gpu | quote }}
- name: METAREWARDING_Worker__Artifacts
  value: {{ printf "%s/artifacts" (trimSuffix "/" $v.artifacts.mountPath) | quote }}
{{- if eq .component "gpu" }}
- name: METAREWARDING_Worker__Device
  value: {{ .worker.device | quote }}
- name: METAREWARDING_Worker__ComputeDtype
  value: {{ .worker.computeDtype | quote }}
{{- end }}
- name: METAREWARDING_Worker__GracefulShutdownSeconds
  value: {{ .worker.gracefulShutdownSeconds | int | quote }}
{{- with $v.seq.serverUrl }}
- name: METAREWARDING_Serilog__Seq__ServerUrl
  value: {{ . | quote }}
{{- end }}
{{- with $v.seq.apiKeySecretName }}
- name: METAREWARDING_Serilog__Seq__ApiKey
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ $v.seq.apiKeySecretKey | quote }}
{{- end }}
{{- with .worker.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}
