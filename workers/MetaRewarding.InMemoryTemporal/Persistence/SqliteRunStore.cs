using System.Text.Json;
using Google.Protobuf;
using MetaRewarding.InMemoryTemporal.Engine;
using Microsoft.Data.Sqlite;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace MetaRewarding.InMemoryTemporal.Persistence;

/// <summary>
/// The server's durable store (`local-server --db-filename FILE`, the demo's database): one SQLite file holding every
/// run's history (append-only, one row per event), each run's extra state (<see cref="StoredRunState"/>), and the
/// registered search attributes. The engine saves a run inside the same lock as its change and before any reply or
/// effect, so nothing a worker or client was told is missing after a kill -9. WAL journal, synchronous=NORMAL: a
/// killed process loses nothing committed (a power cut may lose the last moments). The file is locked exclusively
/// while a server uses it. Errors never replace or repair the file: they say what is wrong and what to do.
/// </summary>
internal sealed class SqliteRunStore : IDisposable
{
    /// <summary>The layout this code writes; a file with a higher one was written by a newer version.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly SqliteConnection connection;
    private readonly object sync = new();

    private SqliteRunStore(SqliteConnection connection, string path)
    {
        this.connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens (creating if absent) the database for <paramref name="ns"/>, refusing any file it cannot safely use.</summary>
    public static SqliteRunStore Open(string file, string ns)
    {
        var path = System.IO.Path.GetFullPath(file);
        if (Directory.Exists(path))
        {
            throw new TemporalDatabaseException($"database file {path} is a folder: give a file name (for example {System.IO.Path.Combine(path, "temporal.db")}).");
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // closing the connection must release the file's lock (a restart in the same process)
            DefaultTimeout = 2,
        }.ToString());
        try
        {
            connection.Open();
            var store = new SqliteRunStore(connection, path);
            store.Prepare(ns);
            return store;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Explain(path, ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static TemporalDatabaseException Explain(string path, SqliteException ex) => ex.SqliteErrorCode switch
    {
        5 or 6 => new TemporalDatabaseException(
            $"database file {path} is in use by another process (another local-server or demo on the same file?): stop that process, or give another file.", ex),
        11 or 26 => new TemporalDatabaseException(
            $"database file {path} is corrupt or not a SQLite database ({ex.Message}). It was left untouched: restore it from a backup, "
            + "or give another file to start with an empty server.", ex),
        _ => new TemporalDatabaseException($"cannot use database file {path}: {ex.Message}", ex),
    };

    private void Prepare(string ns)
    {
        // Exclusive locking: the first write below takes the file's lock and keeps it until the server stops, so a second
        // server on the same file fails here, at start, instead of corrupting the runs both would be driving.
        Execute("PRAGMA locking_mode=EXCLUSIVE;");
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=NORMAL;");
        var check = Scalar("PRAGMA quick_check;") as string;
        if (check != "ok")
        {
            throw new TemporalDatabaseException(
                $"database file {Path} is corrupt (SQLite quick_check: {check}). It was left untouched: restore it from a backup, or give another file.");
        }
        var tables = Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table';") is long n ? n : 0;
        var hasMeta = Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta';") is long m && m > 0;
        if (tables > 0 && !hasMeta)
        {
            throw new TemporalDatabaseException(
                $"database file {Path} is a SQLite database but not this server's (no 'meta' table; a `temporal server start-dev` file?). "
                + "It was left untouched: give another file.");
        }
        using var transaction = connection.BeginTransaction();
        if (!hasMeta)
        {
            Execute("""
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL UNIQUE, namespace TEXT NOT NULL,
                                   workflow_id TEXT NOT NULL, state TEXT NOT NULL);
                CREATE TABLE events (run_id TEXT NOT NULL, event_id INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (run_id, event_id)) WITHOUT ROWID;
                """, transaction);
            SetMeta("schema_version", SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), transaction);
            SetMeta("namespace", ns, transaction);
        }
        var version = int.Parse(GetMeta("schema_version", transaction) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new TemporalDatabaseException(
                $"database file {Path} has schema version {version}, newer than this server's {SchemaVersion}: it was written by a newer "
                + "metarewarding. Run that version on it, or give another file. It was left untouched.");
        }
        var stored = GetMeta("namespace", transaction);
        if (stored != ns)
        {
            throw new TemporalDatabaseException(
                $"database file {Path} holds namespace '{stored}', not '{ns}': start with --namespace {stored}, or give another file.");
        }
        SetMeta("last_opened", DateTimeOffset.UtcNow.ToString("O"), transaction); // the write that takes the exclusive lock
        transaction.Commit();
    }

    /// <summary>Writes the run's events not yet saved and its current extra state, in one transaction.</summary>
    public void Save(WorkflowRun run)
    {
        var state = JsonSerializer.Serialize(StoredRunState.Of(run), Json);
        if (run.SavedEventCount == run.History.Count && state == run.SavedState)
        {
            return;
        }
        lock (sync)
        {
            using var transaction = connection.BeginTransaction();
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO events (run_id, event_id, data) VALUES ($run, $id, $data);";
                var runParameter = insert.Parameters.Add("$run", SqliteType.Text);
                var idParameter = insert.Parameters.Add("$id", SqliteType.Integer);
                var dataParameter = insert.Parameters.Add("$data", SqliteType.Blob);
                runParameter.Value = run.RunId;
                for (var i = run.SavedEventCount; i < run.History.Count; i++)
                {
                    idParameter.Value = run.History[i].EventId;
                    dataParameter.Value = run.History[i].ToByteArray();
                    insert.ExecuteNonQuery();
                }
            }
            using (var upsert = connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                upsert.CommandText = """
                    INSERT INTO runs (run_id, namespace, workflow_id, state) VALUES ($run, $ns, $workflow, $state)
                    ON CONFLICT (run_id) DO UPDATE SET state = excluded.state;
                    """;
                upsert.Parameters.AddWithValue("$run", run.RunId);
                upsert.Parameters.AddWithValue("$ns", run.Namespace);
                upsert.Parameters.AddWithValue("$workflow", run.WorkflowId);
                upsert.Parameters.AddWithValue("$state", state);
                upsert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        run.SavedEventCount = run.History.Count;
        run.SavedState = state;
    }

    /// <summary>Every stored run in the order the runs were created, rebuilt from its history plus its extra state.</summary>
    public List<WorkflowRun> LoadRuns()
    {
        var rows = new List<(string RunId, string Ns, string WorkflowId, string State)>();
        lock (sync)
        {
            using (var select = connection.CreateCommand())
            {
                select.CommandText = "SELECT run_id, namespace, workflow_id, state FROM runs ORDER BY seq;";
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }
            var runs = new List<WorkflowRun>(rows.Count);
            foreach (var row in rows)
            {
                var events = LoadEvents(row.RunId);
                var run = RunFromHistory.Build(row.Ns, row.WorkflowId, row.RunId, events);
                var state = JsonSerializer.Deserialize<StoredRunState>(row.State, Json) ?? new StoredRunState();
                state.ApplyTo(run);
                run.SavedEventCount = events.Count;
                run.SavedState = row.State;
                runs.Add(run);
            }
            return runs;
        }
    }

    private List<HistoryEvent> LoadEvents(string runId)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT data FROM events WHERE run_id = $run ORDER BY event_id;";
        select.Parameters.AddWithValue("$run", runId);
        using var reader = select.ExecuteReader();
        var events = new List<HistoryEvent>();
        while (reader.Read())
        {
            events.Add(HistoryEvent.Parser.ParseFrom((byte[])reader[0]));
        }
        return events;
    }

    public Dictionary<string, IndexedValueType> LoadSearchAttributes()
    {
        lock (sync)
        {
            var json = GetMeta("search_attributes", null);
            return json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, IndexedValueType>>(json, Json) ?? [];
        }
    }

    public void SaveSearchAttributes(IReadOnlyDictionary<string, IndexedValueType> attributes)
    {
        lock (sync)
        {
            SetMeta("search_attributes", JsonSerializer.Serialize(attributes, Json), null);
        }
    }

    public void Dispose()
    {
        lock (sync)
        {
            connection.Dispose();
        }
    }

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private string? GetMeta(string key, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    private void SetMeta(string key, string value, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }
}
