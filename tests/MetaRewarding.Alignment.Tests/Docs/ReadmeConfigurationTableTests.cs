using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Alignment.Tests.Docs;

/// <summary>
/// The README's configuration reference is checked against the code, so it cannot drift: every field of the
/// configuration records has a row, every row names a field, the default column is the paper's configuration, and
/// the allowed column is what <see cref="RunConfigurationValidator"/> accepts — probed at and beyond each bound
/// through the real JSON reader. Each failure names the README line and says what to write.
/// </summary>
public sealed class ReadmeConfigurationTableTests
{
    private static IReadOnlyList<DocumentedField> Documented => ReadmeConfigurationTable.Fields;

    private static IReadOnlyList<ConfigurationField> Code => ConfigurationFields.All;

    [Fact]
    public void ConfigurationTable_EveryFieldOfTheRecords_HasARow()
    {
        var problems = Code
            .Where(f => f.Kind == FieldKind.Value && !Documented.Any(d => d.Path == f.Path))
            .Select(f => $"README.md, '{ReadmeConfigurationTable.Heading}': no row for `{f.Path}` ({f.Type.Name}). Add a row such as " +
                $"| `{f.Path}` | {DefaultCell(f)} | <allowed: {AllowedValues.Grammar}> | <what it does> [paper], [paper?] or [choice] |");

        AssertNone(problems);
    }

    [Fact]
    public void ConfigurationTable_EveryRow_NamesAFieldOfTheRecords()
    {
        var problems = Documented
            .Where(d => !Code.Any(f => f.Path == d.Path))
            .Select(d => $"{d.Where}: RunConfiguration has no field `{d.Path}`; fix the name (camelCase JSON names, " +
                $"`[i]` for an iteration) or remove the row. Fields beside it: {string.Join(", ", Siblings(d.Path))}");

        AssertNone(problems);
    }

    [Fact]
    public void ConfigurationTable_DefaultColumn_IsThePapersConfiguration()
    {
        var problems = new List<string>();
        foreach (var documented in Documented)
        {
            if (Code.FirstOrDefault(f => f.Path == documented.Path) is not { } field || field.Kind == FieldKind.List)
            {
                continue;
            }

            var literals = ReadmeConfigurationTable.DefaultLiterals(documented.Default);
            if (literals.Count == 0)
            {
                // "—": the field has no usable default; the validator must then refuse the one the code has.
                if (Probe.Problems(field, Probe.Json(field.Defaults[0], field.Type)).Count == 0)
                {
                    problems.Add($"{documented.Where}: the default column says — (required), but the code's default {DefaultCell(field)} is accepted; write {DefaultCell(field)}");
                }

                continue;
            }

            if (field.Kind == FieldKind.Object)
            {
                if (field.Defaults.All(v => v is null) != (literals is ["null"]))
                {
                    problems.Add($"{documented.Where}: the default column says {documented.Default}; the paper's configuration has {(field.Defaults[0] is null ? "null" : "an object")}");
                }

                continue;
            }

            var matches = literals.Count == 1
                ? field.Defaults.All(v => ReadmeConfigurationTable.Spells(literals[0], v))
                : literals.Count == field.Defaults.Count && literals.Zip(field.Defaults).All(p => ReadmeConfigurationTable.Spells(p.First, p.Second));
            if (!matches)
            {
                problems.Add($"{documented.Where}: the default column says {documented.Default}, the code's default is {DefaultCell(field)} (RunConfiguration.Paper); write {DefaultCell(field)}");
            }
        }

        AssertNone(problems);
    }

    [Fact]
    public void ConfigurationTable_AllowedColumn_IsWhatTheValidatorAccepts()
    {
        var problems = new List<string>();
        foreach (var documented in Documented)
        {
            if (Code.FirstOrDefault(f => f.Path == documented.Path) is not { Kind: FieldKind.Value } field)
            {
                continue;
            }

            if (AllowedValues.Parse(documented.Allowed) is not { } allowed)
            {
                problems.Add($"{documented.Where}: cannot read the allowed column '{documented.Allowed}'; {AllowedValues.Grammar}");
                continue;
            }

            problems.AddRange(Probe.Disagreements(field, allowed).Select(p => $"{documented.Where}: the allowed column says '{documented.Allowed}', but {p}"));
        }

        AssertNone(problems);
    }

    /// <summary>The code's fields with the same parent as <paramref name="path"/> (all top-level fields for a top-level path).</summary>
    private static IEnumerable<string> Siblings(string path)
    {
        var parent = path.Contains('.', StringComparison.Ordinal) ? path[..(path.LastIndexOf('.') + 1)] : "";
        return Code.Select(f => f.Path).Where(p => p.StartsWith(parent, StringComparison.Ordinal) && !p[parent.Length..].Contains('.', StringComparison.Ordinal));
    }

    /// <summary>What the default column should hold for <paramref name="field"/>: one value, or one per iteration.</summary>
    private static string DefaultCell(ConfigurationField field)
    {
        var spelled = field.Defaults.Select(ReadmeConfigurationTable.Spell).ToList();
        return spelled.Distinct(StringComparer.Ordinal).Count() == 1 ? spelled[0] : string.Join(", ", spelled);
    }

    private static void AssertNone(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, string.Join(Environment.NewLine, list));
    }

    /// <summary>
    /// Sets one field of the paper's configuration (with a seed SFT and LoRA in the last iteration, so their fields are checked too) in JSON, reads it
    /// with <see cref="RunConfigurationJson"/> and validates it: the problems that name the field. Fields of
    /// <c>iterations[i]</c> are set in the last iteration, which does not train the judge.
    /// </summary>
    private static class Probe
    {
        private static readonly string[] NotUrls = ["", "127.0.0.1:8000", "ftp://host/"];

        private static readonly RunConfiguration Base = RunConfiguration.Paper with
        {
            SeedSft = new SeedSftSettings { Dataset = "seed.jsonl" },
            Iterations = [.. RunConfiguration.Paper.Iterations.SkipLast(1), WithLora(RunConfiguration.Paper.Iterations[^1])],
        };

        private static IterationSettings WithLora(IterationSettings iteration) => iteration with { Dpo = iteration.Dpo with { Lora = new LoraSettings() } };

        public static JsonNode? Json(object? value, Type type) => value is null ? null : JsonSerializer.SerializeToNode(value, type, RunConfigurationJson.Options);

        public static List<string> Problems(ConfigurationField field, JsonNode? value)
        {
            var path = field.Path.Replace("[i]", $"[{Base.Iterations.Count - 1}]", StringComparison.Ordinal);
            var root = JsonNode.Parse(RunConfigurationJson.Serialize(Base))!;
            var parts = path.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                var bracket = part.IndexOf('[', StringComparison.Ordinal);
                node = bracket < 0 ? node[part]! : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
            }

            node[parts[^1]] = value;
            RunConfiguration configuration;
            try
            {
                configuration = RunConfigurationJson.Parse(root.ToJsonString());
            }
            catch (ConfigurationException e)
            {
                return [e.Message];
            }

            return RunConfigurationValidator.Validate(configuration).Where(e => e.StartsWith(path + " ", StringComparison.Ordinal)).ToList();
        }

        /// <summary>Where the validator disagrees with <paramref name="allowed"/>, in words.</summary>
        public static IEnumerable<string> Disagreements(ConfigurationField field, AllowedValues allowed)
        {
            bool Accepts(object? value) => Problems(field, Json(value, field.Type)).Count == 0;

            if (allowed.OrNull != field.Nullable)
            {
                yield return field.Nullable ? "the field may be null: add 'or null'" : "the field cannot be null: remove 'or null'";
            }
            else if (field.Nullable && !Accepts(null))
            {
                yield return "the validator refuses null";
            }

            if (allowed.Names is { } names)
            {
                if (!field.Type.IsEnum)
                {
                    yield return $"the field is a {field.Type.Name}, not one of a list of names";
                    yield break;
                }

                var accepted = Enum.GetValues(field.Type).Cast<object>().Where(Accepts)
                    .Select(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()!)).ToList();
                if (!accepted.SequenceEqual(names))
                {
                    yield return $"the validator accepts {string.Join(", ", accepted.Select(n => $"`{n}`"))}; write exactly those";
                }

                yield break;
            }

            if (allowed.Url)
            {
                if (!Accepts("http://127.0.0.1:8000"))
                {
                    yield return "the validator refuses http://127.0.0.1:8000";
                }

                foreach (var bad in NotUrls.Where(Accepts))
                {
                    yield return $"the validator accepts '{bad}', which is no http(s) URL";
                }

                yield break;
            }

            if (allowed.NonEmpty)
            {
                if (Accepts(""))
                {
                    yield return "the validator accepts an empty string";
                }

                yield break;
            }

            if (allowed.Lower is not { } lower)
            {
                yield break;
            }

            var integer = field.Type == typeof(int) || field.Type == typeof(long);
            object Below(double bound) => integer ? (object)(int)(bound - 1) : Math.BitDecrement(bound);
            object Above(double bound) => integer ? (object)(int)(bound + 1) : Math.BitIncrement(bound);
            object At(double bound) => integer ? (object)(int)bound : bound;

            if (Accepts(At(lower)) == allowed.LowerOpen)
            {
                yield return $"the validator {(allowed.LowerOpen ? "accepts" : "refuses")} {lower}";
            }

            if (Accepts(allowed.LowerOpen ? At(lower) : Below(lower)))
            {
                yield return $"the validator accepts {(allowed.LowerOpen ? At(lower) : Below(lower))}, below the bound";
            }

            if (allowed.Upper is { } upper)
            {
                if (Accepts(At(upper)) == allowed.UpperOpen)
                {
                    yield return $"the validator {(allowed.UpperOpen ? "accepts" : "refuses")} {upper}";
                }

                if (Accepts(allowed.UpperOpen ? At(upper) : Above(upper)))
                {
                    yield return $"the validator accepts {(allowed.UpperOpen ? At(upper) : Above(upper))}, above the bound";
                }
            }
            else if (!Accepts(At(lower + 1_000_000)))
            {
                yield return $"the validator refuses {lower + 1_000_000}: write the upper bound too";
            }
        }
    }
}
