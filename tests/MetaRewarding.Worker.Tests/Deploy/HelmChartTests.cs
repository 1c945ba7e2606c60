using System.Text.Json.Nodes;
using MetaRewarding.TestSupport;
using MetaRewarding.Worker.Hosting;

namespace MetaRewarding.Worker.Tests.Deploy;

/// <summary>
/// deploy/helm/metarewarding, checked offline: `helm lint --strict` and `helm template` (the pinned helm v3.17 from
/// npm), every rendered document against the Kubernetes and KEDA schemas (deploy/tools/validate-manifests.mjs),
/// what the workers get (GPU limits, drain time, shared volume, KEDA triggers on their own queues), and the bad
/// inputs that must fail naming the value to fix.
/// </summary>
public sealed class HelmChartTests
{
    public static TheoryData<string> ValuesFiles => new(DeployTools.ChartValuesFiles);

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void Lint_Strict_Passes(string valuesFile)
    {
        var result = DeployTools.RunHelm("lint", "--strict", DeployTools.ChartFolder, "-f", Path.Combine(DeployTools.ChartFolder, valuesFile)).Succeeded();

        Assert.Contains("0 chart(s) failed", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void Template_EveryDocument_MatchesTheKubernetesAndKedaSchemas(string valuesFile)
    {
        var rendered = DeployTools.Template(valuesFile).Succeeded();
        using var folder = new TemporaryFolder("helm-");
        var file = folder.Write("rendered.yaml", rendered.Stdout);

        var result = DeployTools.Node("validate-manifests.mjs", file).Succeeded("schema validation of the rendered chart");

        Assert.Contains(" 0 failed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaValidation_BrokenDocuments_Fail()
    {
        // The validator must be able to fail: a Deployment whose replicas is a word and whose container has no name;
        // a ScaledObject without a target, with an unquoted number where KEDA wants a string, and an unknown kind.
        using var folder = new TemporaryFolder("helm-");
        var file = folder.Write("broken.yaml",
            "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: bad}",
            "spec: {replicas: two, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{image: x}]}}}",
            "---",
            "apiVersion: keda.sh/v1alpha1", "kind: ScaledObject", "metadata: {name: bad}",
            "spec: {triggers: [{type: temporal, metadata: {targetQueueSize: 2}}]}",
            "---",
            "apiVersion: example.com/v1", "kind: Unknown", "metadata: {name: bad}");

        var result = DeployTools.Node("validate-manifests.mjs", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("0 passed, 3 failed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultValues_GpuWorker_RequestsOneGpuOnTaintedNodes_AndDrainsBeforeItIsKilled()
    {
        var documents = Render("ci/default-values.yaml");
        var gpu = Deployment(documents, "gpu");
        var pod = gpu["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;

        Assert.Equal("1", container["resources"]!["limits"]!["nvidia.com/gpu"]!.ToString());
        Assert.Contains(pod["tolerations"]!.AsArray(), t => (string?)t!["key"] == "nvidia.com/gpu");
        Assert.Equal("Recreate", (string?)gpu["spec"]!["strategy"]!["type"]);
        Assert.Equal(["/app/metarewarding", "worker"], container["command"]!.AsArray().Select(c => (string)c!));
        foreach (var worker in new[] { gpu, Deployment(documents, "cpu") })
        {
            var spec = worker["spec"]!["template"]!["spec"]!;
            var drain = int.Parse(Env(worker)["METAREWARDING_Worker__GracefulShutdownSeconds"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(drain + (int)WorkerHost.ShutdownMargin.TotalSeconds, (int)spec["terminationGracePeriodSeconds"]!);
        }
        Assert.DoesNotContain(documents, d => (string?)d!["kind"] is "ScaledObject" or "TriggerAuthentication");
    }

    [Fact]
    public void DefaultValues_EveryWorker_MountsTheOneReadWriteManyClaim_AtTheArtifactPath()
    {
        var documents = Render("ci/default-values.yaml");
        var claim = documents.Single(d => (string?)d!["kind"] == "PersistentVolumeClaim")!;

        Assert.Equal(["ReadWriteMany"], claim["spec"]!["accessModes"]!.AsArray().Select(m => (string)m!));
        foreach (var component in new[] { "cpu", "gpu" })
        {
            var worker = Deployment(documents, component);
            var pod = worker["spec"]!["template"]!["spec"]!;
            var volume = pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "artifacts")!;
            var mount = pod["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "artifacts")!;
            Assert.Equal((string?)claim["metadata"]!["name"], (string?)volume["persistentVolumeClaim"]!["claimName"]);
            Assert.Equal("/data", (string?)mount["mountPath"]);
            Assert.Equal("/data/artifacts", Env(worker)["METAREWARDING_Worker__Artifacts"]);
            Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        }
    }

    [Fact]
    public void GpuKedaTls_ScalesEachWorkerOnItsOwnQueue_GpuToZero()
    {
        var documents = Render("ci/gpu-keda-tls-values.yaml");

        foreach (var (component, setting, minimum) in new[] { ("cpu", "CpuTaskQueue", 1), ("gpu", "GpuTaskQueue", 0) })
        {
            var worker = Deployment(documents, component);
            var scaled = documents.Single(d => (string?)d!["kind"] == "ScaledObject" && (string?)d["metadata"]!["name"] == (string?)worker["metadata"]!["name"])!;
            var trigger = scaled["spec"]!["triggers"]!.AsArray().Single()!;
            var env = Env(worker);
            Assert.Null(worker["spec"]!["replicas"]);
            Assert.Equal(minimum, (int)scaled["spec"]!["minReplicaCount"]!);
            Assert.Equal("temporal", (string?)trigger["type"]);
            Assert.Equal(env[$"METAREWARDING_Worker__{setting}"], (string?)trigger["metadata"]!["taskQueue"]);
            Assert.Equal(env["TEMPORAL_ADDRESS"], (string?)trigger["metadata"]!["endpoint"]);
            Assert.Equal(env["TEMPORAL_NAMESPACE"], (string?)trigger["metadata"]!["namespace"]);
            Assert.Equal(component, env["METAREWARDING_Worker__Queues"]);
            Assert.NotNull(trigger["authenticationRef"]);
        }
    }

    [Fact]
    public void GpuKedaTls_WorkersReadTheClientCertificateFromTheSecret()
    {
        var documents = Render("ci/gpu-keda-tls-values.yaml");
        var worker = Deployment(documents, "gpu");
        var pod = worker["spec"]!["template"]!["spec"]!;
        var env = Env(worker);
        var mount = (string)pod["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "temporal-tls")!["mountPath"]!;
        var authentication = documents.Single(d => (string?)d!["kind"] == "TriggerAuthentication")!;

        Assert.Equal("temporal-client-tls", (string?)pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "temporal-tls")!["secret"]!["secretName"]);
        Assert.Equal($"{mount}/tls.crt", env["TEMPORAL_TLS_CLIENT_CERT_PATH"]);
        Assert.Equal($"{mount}/tls.key", env["TEMPORAL_TLS_CLIENT_KEY_PATH"]);
        Assert.Equal($"{mount}/ca.crt", env["TEMPORAL_TLS_SERVER_CA_CERT_PATH"]);
        Assert.Equal(["cert", "key", "ca"], authentication["spec"]!["secretTargetRef"]!.AsArray().Select(r => (string)r!["parameter"]!));
    }

    /// <summary>Bad values, each failing `helm template` with a message that names the value to fix.</summary>
    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "no Temporal address", [], "temporal.address is required" },
        { "a GPU worker without a GPU limit", ["temporal.address=t:7233", "gpuWorker.resources.limits.nvidia\\.com/gpu=null"], "gpuWorker.resources.limits.nvidia.com/gpu is required" },
        { "a GPU worker without any resources", ["temporal.address=t:7233", "gpuWorker.resources=null"], "gpuWorker.resources.limits.nvidia.com/gpu is required" },
        { "a KEDA trigger without a task queue", ["temporal.address=t:7233", "gpuWorker.autoscaling.enabled=true", "taskQueues.gpu="], "taskQueues.gpu is required" },
        { "a misspelled value (values.schema.json)", ["temporal.address=t:7233", "gpuWorker.replica=2"], "Additional property replica is not allowed" },
        { "TLS with nothing to turn it on", ["temporal.address=t:7233", "temporal.tls.enabled=true"], "temporal.tls.enabled needs" },
        { "KEDA given a client certificate and an API key", ["temporal.address=t:7233", "gpuWorker.autoscaling.enabled=true", "temporal.tls.enabled=true", "temporal.tls.secretName=tls", "temporal.apiKey.secretName=key"], "KEDA's temporal trigger takes a client certificate or an API key" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Template_BadInput_FailsNamingTheValue(string situation, string[] sets, string message)
    {
        var result = DeployTools.Template(null, sets);

        Assert.True(result.ExitCode != 0, $"{situation}: helm template succeeded");
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesTable_DocumentsEveryValue_WithItsDefault()
    {
        var readme = Path.Combine(DeployTools.ChartFolder, "README.md");
        var rows = MarkdownTable.After(readme, "Values").Select(r => (Key: MarkdownTable.CodeSpans(r.Cells[0]).Single(), Row: r)).ToList();
        var values = Leaves(DeployTools.Documents(File.ReadAllText(Path.Combine(DeployTools.ChartFolder, "values.yaml"))).Single()!, "")
            .ToDictionary(l => l.Path, l => l.Value);

        // A row documents a value or a whole map of them (`gpuWorker.resources` covers its limits and requests).
        var undocumented = values.Keys.Where(v => !rows.Any(r => Covers(r.Key, v))).ToList();
        var unknown = rows.Where(r => !values.Keys.Any(v => Covers(r.Key, v))).Select(u => $"line {u.Row.Line} `{u.Key}`").ToList();
        // A scalar's default is written as a code span of its YAML text (`""` for an empty string).
        var wrongDefaults = rows.Where(r => values.TryGetValue(r.Key, out var value) && value is JsonValue)
            .Select(r => (r.Row, Expected: values[r.Key] is JsonValue v && v.TryGetValue<string>(out var text) ? (text.Length == 0 ? "\"\"" : text) : values[r.Key]!.ToJsonString()))
            .Where(r => !MarkdownTable.CodeSpans(r.Row.Cells[1]).Contains(r.Expected))
            .Select(r => $"line {r.Row.Line}: default should be `{r.Expected}`").ToList();

        Assert.True(undocumented.Count == 0, $"{readme}, 'Values': no row for {string.Join(", ", undocumented)}");
        Assert.True(unknown.Count == 0, $"{readme}: rows for values the chart does not have: {string.Join("; ", unknown)}");
        Assert.True(wrongDefaults.Count == 0, $"{readme}: {string.Join("; ", wrongDefaults)}");
        // values.yaml says the same in a comment right above each documented value.
        var commented = CommentedKeys(File.ReadAllLines(Path.Combine(DeployTools.ChartFolder, "values.yaml")));
        var bare = rows.Where(r => !commented.Contains(r.Key)).Select(r => r.Key).ToList();
        Assert.True(bare.Count == 0, $"values.yaml: no comment line right above {string.Join(", ", bare)}");

        static bool Covers(string row, string value) => value == row || value.StartsWith(row + ".", StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesSchema_NamesOnlyValuesThatExist()
    {
        // helm checks values.yaml itself against values.schema.json (additionalProperties: false), so a value the
        // schema lacks fails every template above; this is the other direction: no schema entry without its value.
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(DeployTools.ChartFolder, "values.schema.json")))!;
        var values = Leaves(DeployTools.Documents(File.ReadAllText(Path.Combine(DeployTools.ChartFolder, "values.yaml"))).Single()!, "").Select(l => l.Path).ToList();

        var orphans = SchemaPaths(schema, "").Where(p => !values.Any(v => v == p || v.StartsWith(p + ".", StringComparison.Ordinal))).ToList();

        Assert.True(orphans.Count == 0, $"values.schema.json describes values that values.yaml does not have: {string.Join(", ", orphans)}");

        static IEnumerable<string> SchemaPaths(JsonNode node, string prefix) =>
            node["properties"] is JsonObject properties
                ? properties.SelectMany(p => SchemaPaths(p.Value!, prefix.Length == 0 ? p.Key : $"{prefix}.{p.Key}"))
                : [prefix];
    }

    /// <summary>Dotted paths of the keys in a values file whose line follows a comment line (block maps only; list items are skipped).</summary>
    private static HashSet<string> CommentedKeys(string[] lines)
    {
        var commented = new HashSet<string>(StringComparer.Ordinal);
        var path = new Stack<(int Indent, string Key)>();
        var afterComment = false;
        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            var indent = line.Length - trimmed.Length;
            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            if (trimmed.StartsWith('#') || trimmed.Length == 0)
            {
                afterComment = trimmed.Length > 0;
                continue;
            }

            if (!trimmed.StartsWith('-') && colon > 0)
            {
                while (path.Count > 0 && path.Peek().Indent >= indent)
                {
                    path.Pop();
                }

                path.Push((indent, trimmed[..colon]));
                if (afterComment)
                {
                    commented.Add(string.Join('.', path.Reverse().Select(p => p.Key)));
                }
            }

            afterComment = false;
        }

        return commented;
    }

    private static JsonArray Render(string valuesFile) => DeployTools.Documents(DeployTools.Template(valuesFile).Succeeded().Stdout);

    private static JsonNode Deployment(JsonArray documents, string component) =>
        documents.Single(d => (string?)d!["kind"] == "Deployment" && ((string?)d["metadata"]!["name"])!.EndsWith($"-{component}-worker", StringComparison.Ordinal))!;

    /// <summary>The container's environment; a variable from a Secret reads as "secret:NAME/KEY".</summary>
    internal static Dictionary<string, string> Env(JsonNode deployment) =>
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().ToDictionary(
            e => (string)e!["name"]!,
            e => (string?)e!["value"] ?? $"secret:{e!["valueFrom"]!["secretKeyRef"]!["name"]}/{e["valueFrom"]!["secretKeyRef"]!["key"]}");

    /// <summary>The values by dotted path (a key with dots inside, like nvidia.com/gpu, stays one segment).</summary>
    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string prefix) =>
        node is JsonObject map && map.Count > 0
            ? map.SelectMany(p => Leaves(p.Value, prefix.Length == 0 ? p.Key : $"{prefix}.{p.Key}"))
            : [(prefix, node)];
}
