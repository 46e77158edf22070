using System.Data;
using System.Data.Common;
using System.Text;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Journal;

/// <summary>
/// The journal in a SQL database, in the SQL that SQLite and PostgreSQL share: two tables, <c>rc_journal</c> (one row per
/// entry) and <c>rc_digest</c> (per digest: reclaimed, kept, or claimed by a worker for a reclaim). Times are Unix milliseconds.
/// </summary>
public abstract class SqlJournalStore : IJournalStore
{
    private const string Columns =
        "sequence, id, action, outcome, registry, repository, tag, digest, media_type, request_id, run_id, policy, verified_publisher, requested_by, reason, detail, bytes_freed, recorded_at, completed_at";

    protected abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    public abstract Task InitializeAsync(CancellationToken ct);

    /// <summary>Runs a write; a store whose database takes one writer at a time serializes them here.</summary>
    protected virtual async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await write(connection);
    }

    public Task<JournalRecord> BeginAsync(JournalRecord intent, CancellationToken ct) => WriteAsync(async connection =>
    {
        // By request only (few rows each): with more conditions SQLite may pick the (registry, repository, tag) index and scan.
        await using (var select = Command(connection, $"SELECT {Columns} FROM rc_journal WHERE request_id = @request_id AND outcome = 'Pending'"))
        {
            Add(select, "request_id", intent.RequestId.ToString());
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var pending = Read(reader);
                if (pending.Action == intent.Action && pending.Registry == intent.Registry && pending.Repository == intent.Repository
                    && pending.Tag == intent.Tag && (pending.Digest == intent.Digest || intent.Digest is null))
                    return pending;
            }
        }

        var texts = IntentTexts(intent);
        var columns = string.Join(", ", texts.Select(t => t.Column));
        await using var insert = Command(connection,
            $"INSERT INTO rc_journal (outcome, completed_at, bytes_freed, recorded_at, {columns}) "
            + $"VALUES ('Pending', NULL, @bytes_freed, @recorded_at, {string.Join(", ", texts.Select(t => "@" + t.Column))}) RETURNING sequence");
        foreach (var (column, value) in texts)
            Add(insert, column, value);
        Add(insert, "bytes_freed", intent.BytesFreed);
        Add(insert, "recorded_at", intent.RecordedAt.ToUnixTimeMilliseconds());
        var sequence = Convert.ToInt64(await insert.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        return intent with { Sequence = sequence, Outcome = JournalOutcome.Pending };
    }, ct);

    public Task NoteDigestAsync(JournalRecord pending, string digest, string? mediaType, CancellationToken ct) => WriteAsync(async connection =>
    {
        await using var update = Command(connection, "UPDATE rc_journal SET digest = @digest, media_type = @media_type WHERE id = @id AND outcome = 'Pending'");
        Add(update, "digest", digest);
        Add(update, "media_type", mediaType);
        Add(update, "id", pending.Id.ToString());
        if (await update.ExecuteNonQueryAsync(ct) != 1)
            throw new InvalidOperationException($"Journal entry {pending.Id} is not pending.");
        return true;
    }, ct);

    public Task CompleteAsync(JournalRecord completed, CancellationToken ct) => WriteAsync(async connection =>
    {
        // Two deliveries of one request may run at once (a file sent again while the first is still being worked): the one
        // that finds the tag gone, or fails, must not overwrite the other's Deleted, or restore and reclaim lose the deletion.
        await using var update = Command(connection,
            "UPDATE rc_journal SET outcome = @outcome, digest = COALESCE(@digest, digest), media_type = COALESCE(@media_type, media_type), "
            + "detail = @detail, bytes_freed = @bytes_freed, completed_at = @completed_at WHERE id = @id AND outcome <> 'Deleted'");
        Add(update, "outcome", completed.Outcome.ToString());
        Add(update, "digest", completed.Digest);
        Add(update, "media_type", completed.MediaType);
        Add(update, "detail", completed.Detail);
        Add(update, "bytes_freed", completed.BytesFreed);
        Add(update, "completed_at", completed.CompletedAt?.ToUnixTimeMilliseconds());
        Add(update, "id", completed.Id.ToString());
        if (await update.ExecuteNonQueryAsync(ct) == 1)
            return true;
        await using var exists = Command(connection, "SELECT 1 FROM rc_journal WHERE id = @id");
        Add(exists, "id", completed.Id.ToString());
        return await exists.ExecuteScalarAsync(ct) is not null ? true : throw new InvalidOperationException($"Journal entry {completed.Id} does not exist.");
    }, ct);

    public async Task<IReadOnlyList<JournalRecord>> ReadAsync(QueryJournal query, long after, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var sql = new StringBuilder($"SELECT {Columns} FROM rc_journal WHERE sequence > @after");
        await using var select = Command(connection, "");
        Add(select, "after", after);
        Filter(sql, select, "lower(registry) = lower(@registry)", "registry", query.Registry);
        Filter(sql, select, "repository = @repository", "repository", query.Repository);
        Filter(sql, select, "verified_publisher = @publisher", "publisher", query.Publisher);
        Filter(sql, select, "policy = @policy", "policy", query.Policy);
        Filter(sql, select, "run_id = @run_id", "run_id", query.RunId?.ToString());
        Filter(sql, select, "request_id = @request_id", "request_id", query.Request?.ToString());
        if (query.Since is { } since)
            Filter(sql, select, "recorded_at >= @since", "since", since.ToUnixTimeMilliseconds());
        if (query.Until is { } until)
            Filter(sql, select, "recorded_at <= @until", "until", until.ToUnixTimeMilliseconds());
        sql.Append(" ORDER BY sequence LIMIT @limit");
        Add(select, "limit", (long)limit);
        select.CommandText = sql.ToString();
        return await ReadAllAsync(select, ct);
    }

    public async Task<IReadOnlyList<JournalRecord>> ReclaimableAsync(string? registry, DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var sql = new StringBuilder(
            $"SELECT {string.Join(", ", Columns.Split(", ").Select(c => "j." + c))} FROM rc_journal j "
            + "LEFT JOIN rc_digest d ON d.registry = j.registry AND d.repository = j.repository AND d.digest = j.digest "
            + "WHERE j.action = 'DeleteTag' AND j.outcome = 'Deleted' AND j.digest IS NOT NULL AND j.completed_at <= @before "
            + "AND d.reclaimed_at IS NULL AND (d.kept_at IS NULL OR d.kept_at < j.completed_at) "
            // Per digest: a deletion after the cut-off (another tag's, or the same tag's after a restore) keeps it restorable, and so
            // does one still pending that began after it (its worker may still be deleting; one left by a worker that died long ago does not).
            + "AND NOT EXISTS (SELECT 1 FROM rc_journal n WHERE n.registry = j.registry AND n.repository = j.repository AND n.digest = j.digest "
            + "AND n.action = 'DeleteTag' AND n.outcome IN ('Deleted', 'Pending') AND (n.completed_at > @before OR (n.completed_at IS NULL AND n.recorded_at > @before)))");
        await using var select = Command(connection, "");
        Add(select, "before", before.ToUnixTimeMilliseconds());
        Filter(sql, select, "j.registry = @registry", "registry", registry);
        sql.Append(" ORDER BY j.sequence");
        select.CommandText = sql.ToString();
        return await ReadAllAsync(select, ct);
    }

    public async Task<DigestMark?> MarkOfAsync(string registry, string repository, string digest, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var select = Command(connection, "SELECT reclaimed_at, kept_at FROM rc_digest WHERE registry = @registry AND repository = @repository AND digest = @digest");
        AddKey(select, registry, repository, digest);
        await using var reader = await select.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new DigestMark(Time(reader, 0), Time(reader, 1));
    }

    public async Task<bool> DeletedSinceAsync(string registry, string repository, string digest, DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var select = Command(connection,
            "SELECT 1 FROM rc_journal WHERE registry = @registry AND repository = @repository AND digest = @digest AND action = 'DeleteTag' "
            + "AND outcome IN ('Deleted', 'Pending') AND (completed_at > @before OR (completed_at IS NULL AND recorded_at > @before)) LIMIT 1");
        AddKey(select, registry, repository, digest);
        Add(select, "before", before.ToUnixTimeMilliseconds());
        return await select.ExecuteScalarAsync(ct) is not null;
    }

    public Task<bool> TryClaimAsync(string registry, string repository, string digest, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
        WriteAsync(async connection =>
        {
            // One statement, so two workers racing for the same digest cannot both win: the row either is inserted, or is
            // updated only while unclaimed (or its claim expired) and not yet reclaimed.
            await using var claim = Command(connection,
                "INSERT INTO rc_digest (registry, repository, digest, claim_owner, claim_until) VALUES (@registry, @repository, @digest, @owner, @until) "
                + "ON CONFLICT (registry, repository, digest) DO UPDATE SET claim_owner = excluded.claim_owner, claim_until = excluded.claim_until "
                + "WHERE rc_digest.reclaimed_at IS NULL AND (rc_digest.claim_owner IS NULL OR rc_digest.claim_until < @now) RETURNING claim_owner");
            AddKey(claim, registry, repository, digest);
            Add(claim, "owner", owner);
            Add(claim, "until", (now + lease).ToUnixTimeMilliseconds());
            Add(claim, "now", now.ToUnixTimeMilliseconds());
            return await claim.ExecuteScalarAsync(ct) is string claimed && claimed == owner;
        }, ct);

    public Task MarkAsync(string registry, string repository, string digest, DigestState state, DateTimeOffset at, string owner, CancellationToken ct) =>
        WriteAsync(async connection =>
        {
            var column = state == DigestState.Reclaimed ? "reclaimed_at" : "kept_at";
            await using var mark = Command(connection,
                $"INSERT INTO rc_digest (registry, repository, digest, {column}) VALUES (@registry, @repository, @digest, @at) "
                + $"ON CONFLICT (registry, repository, digest) DO UPDATE SET {column} = excluded.{column}, "
                + "claim_owner = CASE WHEN rc_digest.claim_owner = @owner THEN NULL ELSE rc_digest.claim_owner END, "
                + "claim_until = CASE WHEN rc_digest.claim_owner = @owner THEN NULL ELSE rc_digest.claim_until END");
            AddKey(mark, registry, repository, digest);
            Add(mark, "at", at.ToUnixTimeMilliseconds());
            Add(mark, "owner", owner);
            return await mark.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task ReleaseAsync(string registry, string repository, string digest, string owner, CancellationToken ct) =>
        WriteAsync(async connection =>
        {
            await using var release = Command(connection,
                "UPDATE rc_digest SET claim_owner = NULL, claim_until = NULL WHERE registry = @registry AND repository = @repository AND digest = @digest AND claim_owner = @owner");
            AddKey(release, registry, repository, digest);
            Add(release, "owner", owner);
            return await release.ExecuteNonQueryAsync(ct);
        }, ct);

    protected static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    protected static void Add(DbCommand command, string name, string? value) => Add(command, name, DbType.String, value);

    protected static void Add(DbCommand command, string name, long? value) => Add(command, name, DbType.Int64, value);

    /// <summary>Always typed: PostgreSQL cannot infer the type of an untyped NULL.</summary>
    private static void Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The text columns of an intent's row.</summary>
    private static (string Column, string? Value)[] IntentTexts(JournalRecord intent) =>
    [
        ("id", intent.Id.ToString()), ("action", intent.Action.ToString()), ("registry", intent.Registry), ("repository", intent.Repository),
        ("tag", intent.Tag), ("digest", intent.Digest), ("media_type", intent.MediaType), ("request_id", intent.RequestId.ToString()),
        ("run_id", intent.RunId?.ToString()), ("policy", intent.Policy), ("verified_publisher", intent.VerifiedPublisher),
        ("requested_by", intent.RequestedBy), ("reason", intent.Reason), ("detail", intent.Detail),
    ];

    private static void AddKey(DbCommand command, string registry, string repository, string digest)
    {
        Add(command, "registry", registry);
        Add(command, "repository", repository);
        Add(command, "digest", digest);
    }

    private static void Filter(StringBuilder sql, DbCommand command, string condition, string name, string? value)
    {
        if (value is null)
            return;
        sql.Append(" AND ").Append(condition);
        Add(command, name, value);
    }

    private static void Filter(StringBuilder sql, DbCommand command, string condition, string name, long value)
    {
        sql.Append(" AND ").Append(condition);
        Add(command, name, value);
    }

    private static async Task<IReadOnlyList<JournalRecord>> ReadAllAsync(DbCommand select, CancellationToken ct)
    {
        var entries = new List<JournalRecord>();
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            entries.Add(Read(reader));
        return entries;
    }

    private static JournalRecord Read(DbDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        Id = Guid.Parse(r.GetString(1)),
        Action = Enum.Parse<JournalAction>(r.GetString(2)),
        Outcome = Enum.Parse<JournalOutcome>(r.GetString(3)),
        Registry = r.GetString(4),
        Repository = r.GetString(5),
        Tag = Text(r, 6),
        Digest = Text(r, 7),
        MediaType = Text(r, 8),
        RequestId = Guid.Parse(r.GetString(9)),
        RunId = Text(r, 10) is { } run ? Guid.Parse(run) : null,
        Policy = Text(r, 11),
        VerifiedPublisher = Text(r, 12),
        RequestedBy = Text(r, 13),
        Reason = Text(r, 14),
        Detail = Text(r, 15),
        BytesFreed = r.IsDBNull(16) ? null : r.GetInt64(16),
        RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(17)),
        CompletedAt = Time(r, 18),
    };

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
}
