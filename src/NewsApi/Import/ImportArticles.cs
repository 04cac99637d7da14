using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Articles;
using NewsApi.Changes;
using NewsApi.Content;
using NewsApi.Data;
using Npgsql;

namespace NewsApi.Import;

/// <param name="CreateMissing">Create sections, tags and authors that items name but that do not exist yet.</param>
/// <param name="Atomic">All or nothing: one transaction for the whole request, rolled back when any item is invalid.</param>
/// <param name="DryRun">Validate and report what would happen, writing nothing.</param>
/// <param name="Format">newsapi (default) or ninjs: what the NDJSON lines or JSON array elements are.</param>
/// <param name="ExternalId">Wire text only: the story's externalId (default: derived from its dateline and title).</param>
/// <param name="Date">Wire text only: the date the dateline's month and day are read against (default: today).</param>
/// <param name="Notify">Send webhook events (article.published, …) for items that bring their history (publishedAt, firstPublishedAt, updatedAt, status archived or unpublished); without it they are migrated quietly. Other items announce themselves as usual.</param>
internal sealed record ImportQuery(bool? CreateMissing = null, bool? Atomic = null, bool? DryRun = null, string? Format = null,
    string? ExternalId = null, DateOnly? Date = null, bool? Notify = null);

/// <summary>
/// POST /api/v1/import/articles: reads the body item by item, writes a batch at a time and streams one NDJSON result
/// per item as each batch completes, then a summary line. See Decisions/0009-import.md.
/// </summary>
internal static class ImportArticles
{
    public const string IdempotencyReplayedHeader = "Idempotency-Replayed";
    public const string KeyReusedType = "urn:newsapi:problem:idempotency-key-reused";

    internal static async Task Handle(HttpContext http, [AsParameters] ImportQuery query, NewsDbContext db, IValidator<ArticleContent> validator,
        ArticleWriter articles, ChangeRecorder changes, IOptions<ImportOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock,
        ClaimsPrincipal user, ILoggerFactory loggers)
    {
        var o = options.Value;
        var request = http.Request;
        if (query.Format is not (null or "newsapi" or "ninjs"))
        {
            await Problems.Invalid("format", "format must be newsapi or ninjs.").ExecuteAsync(http);
            return;
        }
        if (ImportReader.FormatOf(request.ContentType, query.Format == "ninjs") is not { } format)
        {
            await Problem(http, 415, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
                $"Send {string.Join(", ", ImportReader.MediaTypes)} (NDJSON or a JSON array of items, one ninjs item, or one wire story).");
            return;
        }
        if (request.ContentLength > o.MaxRequestBytes)
        {
            await TooLarge(http, new ImportLimitException("Import:MaxRequestBytes", o.MaxRequestBytes,
                $"An import request may be at most {o.MaxRequestBytes} bytes (Import:MaxRequestBytes); this one is {request.ContentLength}. Split the file."));
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = o.MaxRequestBytes;

        var dryRun = query.DryRun == true;
        var key = dryRun ? null : request.Headers[Idempotency.Header].FirstOrDefault();
        // Keys are the client's to choose, so they are scoped to the API key: one client's key never answers another.
        var owner = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var keyId) ? keyId : Guid.Empty;
        var idempotency = new Idempotency(db, clock, o, owner);
        if (key is not null)
        {
            if (Idempotency.Check(key) is { } wrong)
            {
                await Problems.Invalid(Idempotency.Header, wrong).ExecuteAsync(http);
                return;
            }
            if (await idempotency.Find(key) is { } record)
            {
                await Replay(http, record, key);
                return;
            }
            if (!await idempotency.Claim(key))
            {
                await Problem(http, 409, ProblemTypes.Conflict, "Conflict",
                    $"A request with {Idempotency.Header} '{key}' is still running; wait for it to finish, then retry to get its result.");
                return;
            }
        }

        var clockWatch = Stopwatch.StartNew();
        var hashing = key is null ? null : new HashingStream(request.Body, Idempotency.Fingerprint(request));
        var output = new ResultWriter(http, json.Value.SerializerOptions, record: key is not null);
        var createMissing = query.CreateMissing == true;
        var writer = new ImportWriter(db, articles, new ImportChecks(validator, createMissing, ImportChecks.MayPublish(user), clock),
            new ImportReferences(db, clock, createMissing, user.Actor()), changes, clock, user.Actor(), query.Notify == true);
        var reader = new ImportReader(o, json.Value.SerializerOptions, query, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var whole = query.Atomic == true || dryRun;
        await using var transaction = whole ? await db.Database.BeginTransactionAsync() : null;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        // The writer sets its own savepoint per batch; one more per SaveChanges would only cost a round trip.
        db.Database.AutoSavepointsEnabled = false;
        var counts = new Dictionary<string, int> { [ImportOutcomes.Created] = 0, [ImportOutcomes.Updated] = 0, [ImportOutcomes.Unchanged] = 0, [ImportOutcomes.Invalid] = 0, [ImportOutcomes.Failed] = 0 };
        string? stopped = null;
        int? resumeAt = null;
        var completed = false;
        try
        {
            var batch = new List<ParsedItem>(o.BatchSize);
            var keys = new HashSet<string>();
            async Task Flush()
            {
                if (batch.Count == 0)
                    return;
                IReadOnlyList<ImportResult> results;
                try
                {
                    results = await writer.Write(batch, ownTransaction: transaction is null);
                }
                catch (Exception e) when (transaction is null && e is DbUpdateException or PostgresException && !DatabaseFailure.IsUnavailable(e))
                {
                    // Rolled back whole and tried again (ImportWriter) and still refused: its items are reported, and the
                    // batches after it go ahead. An atomic import cannot go on (its transaction is spoiled): it stops below.
                    loggers.CreateLogger(typeof(ImportArticles)).LogWarning(e, "An import batch of {Count} items could not be saved", batch.Count);
                    results = batch.Select(Failed).ToList();
                }
                foreach (var result in results)
                {
                    counts[result.Outcome]++;
                    output.Line(result);
                }
                if (!dryRun)
                    await Audit(db, results, writer.Created(), user.Actor(), clock.GetUtcNow());
                await output.Flush();
                batch.Clear();
                keys.Clear();
                if (key is not null)
                    await idempotency.Renew(key);
            }

            try
            {
                await foreach (var item in reader.Read(hashing ?? request.Body, format, http.RequestAborted))
                {
                    // The same story twice in a batch would be compared with what is not yet stored: end the batch first.
                    if (item.Key is { } k && !keys.Add(k))
                    {
                        await Flush();
                        keys.Add(k);
                    }
                    batch.Add(item);
                    if (batch.Count >= o.BatchSize)
                        await Flush();
                    if (clockWatch.Elapsed > o.MaxDuration)
                    {
                        // Out of time: what was read is written, the rest of the body is left for a second request.
                        await Flush();
                        stopped = $"The import ran longer than Import:MaxDuration ({o.MaxDuration}) and stopped after item {item.Line}; " +
                                  (whole ? "nothing was kept. Send it again in smaller parts." : $"send the body again from item {item.Line + 1} (resumeAt) to finish.");
                        resumeAt = whole ? null : item.Line + 1;
                        break;
                    }
                }
                await Flush();
            }
            catch (Exception e) when (Limit(e) is { } limit)
            {
                if (!http.Response.HasStarted)
                {
                    await TooLarge(http, limit);
                    return;
                }
                stopped = limit.Message;
            }
            catch (JsonException e) when (format is ImportFormat.JsonArray or ImportFormat.NinjsArray)
            {
                // A broken array cannot be read past the break (unlike NDJSON, where the next line starts afresh).
                var detail = $"The JSON array is malformed at item {counts.Values.Sum() + batch.Count + 1}: {e.Message.Split(" Path:")[0]}";
                if (!http.Response.HasStarted)
                {
                    await Problems.Invalid("body", detail).ExecuteAsync(http);
                    return;
                }
                stopped = detail;
            }
            catch (Exception e) when (e is DbUpdateException or PostgresException)
            {
                loggers.CreateLogger(typeof(ImportArticles)).LogWarning(e, "An import batch could not be saved");
                stopped = DatabaseFailure.IsUnavailable(e)
                    ? "The database could not be reached, so the import stopped; what is reported above stands as committed says, the rest was not written. Run the import again to finish."
                    : "A batch could not be saved (it met other writes on every attempt), and an atomic import cannot go on without it: nothing was stored. Run the import again.";
            }

            var total = counts.Values.Sum();
            var commit = transaction is not null && !dryRun && counts[ImportOutcomes.Invalid] == 0 && stopped is null;
            if (transaction is not null)
            {
                if (commit)
                    await transaction.CommitAsync(CancellationToken.None);
                else
                    await transaction.RollbackAsync(CancellationToken.None);
            }
            AuditLog.Note(http, string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")) + (dryRun ? " (dry run: nothing written)" : commit || transaction is null ? "" : " (rolled back)"));
            var elapsed = clockWatch.Elapsed;
            output.Line(new ImportSummaryLine(new ImportSummary(total, counts[ImportOutcomes.Created], counts[ImportOutcomes.Updated],
                counts[ImportOutcomes.Unchanged], counts[ImportOutcomes.Invalid], counts[ImportOutcomes.Failed], (long)elapsed.TotalMilliseconds,
                Math.Round(total / Math.Max(elapsed.TotalSeconds, 0.001), 1),
                transaction is null || commit, dryRun, query.Atomic == true, stopped, resumeAt)));
            await output.Flush();
            if (key is not null)
            {
                // The rest of the body (after a limit stopped reading) still counts towards the key's hash.
                if (stopped is not null)
                    await Idempotency.Drain(hashing!, CancellationToken.None);
                await idempotency.Complete(key, hashing!.Hash(), output.Recorded());
            }
            completed = true;
        }
        finally
        {
            if (key is not null && !completed)
                await idempotency.Release(key);
            hashing?.Dispose();
        }
    }

    /// <summary>
    /// One audit entry per article the batch created or updated, and per section, tag or author it created, beside the
    /// request's own: who changed which story is then found by the story's path, as for an editor's write. In an atomic
    /// import they roll back with it.
    /// </summary>
    static async Task Audit(NewsDbContext db, IReadOnlyList<ImportResult> results, IReadOnlyList<string> createdReferences, string actor, DateTimeOffset now)
    {
        var changed = results.Where(r => r.Id is not null && r.Outcome is ImportOutcomes.Created or ImportOutcomes.Updated)
            .Select(r => (r.Outcome, Target: ChangeAudit.Article(r.Id!.Value)))
            .Concat(createdReferences.Select(path => (Outcome: ImportOutcomes.Created, Target: path))).ToList();
        if (changed.Count == 0)
            return;
        // By COPY: one entry a story, so through SaveChanges they cost an INSERT each and a tracked entity each.
        await db.Insert(changed.Select(r => ChangeAudit.Entry(now, actor, Action(r.Outcome), r.Target)).ToList(), CancellationToken.None);
    }

    /// <summary>The audit action of a thing an import created or updated (importArticles:created, importArticles:updated).</summary>
    public static string Action(string outcome) => $"importArticles:{outcome}";

    static ImportLimitException? Limit(Exception e) => e switch
    {
        ImportLimitException limit => limit,
        BadHttpRequestException { StatusCode: 413 } => new ImportLimitException("Import:MaxRequestBytes", 0,
            "The request body is larger than Import:MaxRequestBytes allows; split the file."),
        _ => null,
    };

    /// <summary>An item of a batch that could not be saved: nothing of it is stored, and sending it again may well succeed.</summary>
    static ImportResult Failed(ParsedItem item) => new(item.Line, item.Key, null, ImportOutcomes.Failed,
        new Dictionary<string, string[]>
        {
            ["batch"] = ["The batch holding this item could not be saved (it met other writes on every attempt); nothing of it was stored. Send the item again."],
        });

    static async Task Replay(HttpContext http, Data.Entities.IdempotencyRecord record, string key)
    {
        if (record.RequestHash is null)
        {
            await Problem(http, 409, ProblemTypes.Conflict, "Conflict",
                $"A request with {Idempotency.Header} '{key}' is still running; wait for it to finish, then retry to get its result.");
            return;
        }
        var hash = await Idempotency.HashOf(http.Request, http.RequestAborted);
        if (hash != record.RequestHash)
        {
            await Problem(http, 422, KeyReusedType, "Idempotency key reused",
                $"{Idempotency.Header} '{key}' was used with a different request (query, content type or body); use a new key for a new import.");
            return;
        }
        http.Response.ContentType = ResultWriter.ContentType;
        http.Response.Headers[IdempotencyReplayedHeader] = "true";
        await http.Response.Body.WriteAsync(Idempotency.Unzip(record.Result!));
    }

    static Task TooLarge(HttpContext http, ImportLimitException limit) =>
        ProblemWriter.Write(http, new ProblemDetails
        {
            Status = 413, Type = ProblemTypes.PayloadTooLarge, Title = "Payload too large", Detail = limit.Message,
            Extensions = { ["limit"] = limit.Limit, ["max"] = limit.Max },
        });

    static Task Problem(HttpContext http, int status, string type, string title, string detail) =>
        ProblemWriter.Write(http, new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail });
}
