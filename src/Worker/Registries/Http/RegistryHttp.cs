using System.Net;
using System.Threading.RateLimiting;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Hosting;

namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>
/// Sends requests to one registry: a concurrency limit per registry, credentials on every attempt, one
/// re-authentication after a 401, and bounded retries of transient answers with backoff, jitter and Retry-After.
/// </summary>
public sealed class RegistryHttp
{
    private readonly string _registry;
    private readonly IHttpClientFactory _clients;
    private readonly IRequestAuthenticator _auth;
    private readonly ConcurrencyLimiter _limiter;
    private readonly RetryOptions _retry;
    private readonly Func<HttpResponseMessage, bool> _isTransient;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public RegistryHttp(string registry, IHttpClientFactory clients, IRequestAuthenticator auth, int maxConcurrency,
        RetryOptions retry, Func<HttpResponseMessage, bool>? isTransient = null)
    {
        _registry = registry;
        _clients = clients;
        _auth = auth;
        _retry = retry;
        _isTransient = isTransient ?? TransientAnswers.IsTransient;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = maxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _pipeline = BuildPipeline();
    }

    public static string ClientName(string registry) => $"registry:{registry}";

    /// <summary>
    /// Sends a request built afresh for every attempt. Returns the first answer that is not transient (the caller
    /// classifies it); throws <see cref="RegistryFailureException"/> once transient answers use up every attempt.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, OperationAttempts attempts, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(AttemptsKey, attempts);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.self.AttemptAsync(state.createRequest, state.attempts, ctx.CancellationToken));
                    }
                    catch (Exception e)
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context, (self: this, createRequest, attempts));

            if (outcome.Exception is { } exception)
            {
                ct.ThrowIfCancellationRequested();
                throw Exhausted(null, Describe(exception), attempts);
            }
            var response = outcome.Result!;
            if (_isTransient(response))
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw Exhausted(status, $"HTTP {status}", attempts);
            }
            return response;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpResponseMessage> AttemptAsync(Func<HttpRequestMessage> createRequest, OperationAttempts attempts, CancellationToken ct)
    {
        using var lease = await _limiter.AcquireAsync(1, ct);
        var response = await SendOnceAsync(createRequest, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized && await _auth.RefreshAfterUnauthorizedAsync(response, ct))
        {
            response.Dispose();
            response = await SendOnceAsync(createRequest, ct);
        }
        attempts.RecordRequest((int)response.StatusCode);
        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> createRequest, CancellationToken ct)
    {
        using var request = createRequest();
        await _auth.ApplyAsync(request, ct);
        var client = _clients.CreateClient(ClientName(_registry));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (_retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _retry.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay.For(args.Outcome.Result, args.AttemptNumber, _retry)),
                OnRetry = args =>
                {
                    args.Context.Properties.GetValue(AttemptsKey, null!)?.RecordRetry();
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }
        builder.AddTimeout(_retry.AttemptTimeout);
        return builder.Build();
    }

    private bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken ct) => outcome switch
    {
        { Result: { } response } => _isTransient(response),
        { Exception: OperationCanceledException } when ct.IsCancellationRequested => false,
        { Exception: HttpRequestException or TimeoutRejectedException or OperationCanceledException or IOException } => true,
        _ => false,
    };

    private RegistryFailureException Exhausted(int? status, string what, OperationAttempts attempts) =>
        new(FailureKind.RetriesExhausted, status,
            $"Registry '{_registry}' still answered {what} after {attempts.Attempts} attempts; the command is kept for re-drive.");

    private static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException => "with a timeout",
        HttpRequestException { HttpRequestError: var error } => $"with a connection error ({error})",
        _ => $"with {e.GetType().Name}",
    };

    private static readonly ResiliencePropertyKey<OperationAttempts> AttemptsKey = new("registry-attempts");
}
