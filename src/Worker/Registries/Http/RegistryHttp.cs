using System.Net;
using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Resilience;

namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>
/// Sends requests to one registry: at most <c>MaxConcurrency</c> at a time and <c>RequestsPerSecond</c> per second,
/// credentials on every attempt, one re-authentication after a 401, and bounded retries of transient answers with
/// backoff, jitter and Retry-After. While the registry is down (<see cref="RegistryCircuit"/>), requests wait for it
/// instead of being sent and retried, for at most <c>Outage:MaxHold</c>.
/// </summary>
public sealed class RegistryHttp
{
    private readonly string _registry;
    private readonly IHttpClientFactory _clients;
    private readonly IRequestAuthenticator _auth;
    private readonly RegistryLimits _limits;
    private readonly ConcurrencyLimiter _concurrency;
    private readonly RateLimiter? _rate;
    private readonly RegistryCircuit _circuit;
    private readonly RetryOptions _retry;
    private readonly Func<HttpResponseMessage, bool> _isTransient;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ResiliencePipeline _attemptTimeout;
    private static readonly ResiliencePropertyKey<bool> ServerErrorIsAnswer = new("registry.server-error-is-answer");

    public RegistryHttp(string registry, IHttpClientFactory clients, IRequestAuthenticator auth, int maxConcurrency,
        RetryOptions retry, Func<HttpResponseMessage, bool>? isTransient = null)
        : this(registry, clients, auth, new RegistryLimits(maxConcurrency), retry, isTransient)
    {
    }

    public RegistryHttp(string registry, IHttpClientFactory clients, IRequestAuthenticator auth, RegistryLimits limits,
        RetryOptions retry, Func<HttpResponseMessage, bool>? isTransient = null)
    {
        _registry = registry;
        _clients = clients;
        _auth = auth;
        _limits = limits;
        _retry = retry;
        _isTransient = isTransient ?? TransientAnswers.IsTransient;
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.MaxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _rate = limits.CreateRateLimiter();
        _circuit = new RegistryCircuit(registry, limits.Outage, limits.Log, limits.Time);
        _pipeline = BuildPipeline();
        _attemptTimeout = new ResiliencePipelineBuilder { TimeProvider = limits.Time }.AddTimeout(retry.AttemptTimeout).Build();
    }

    public static string ClientName(string registry) => $"registry:{registry}";

    /// <summary>
    /// Sends a request built afresh for every attempt. Returns the first answer that is not transient (the caller
    /// classifies it); throws <see cref="RegistryFailureException"/> once transient answers use up every attempt, or
    /// once the registry has been down for longer than <c>Outage:MaxHold</c>.
    /// </summary>
    /// <param name="serverErrorIsAnswer">A 5xx is returned at once, neither retried nor counted as exhausting the attempts,
    /// for a caller that has a better next step than sending the same request again.</param>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, OperationAttempts attempts, CancellationToken ct,
        bool serverErrorIsAnswer = false)
    {
        long? heldSince = null;
        var progress = new Progress();
        while (true)
        {
            var outcome = await ExecuteAsync(createRequest, attempts, progress, serverErrorIsAnswer, ct);
            var transient = IsTransient(outcome, ct) && !(serverErrorIsAnswer && IsServerError(outcome));
            if (!_circuit.Blocks(outcome, transient))
                return Answer(outcome, transient, attempts, ct);

            outcome.Result?.Dispose();
            heldSince ??= _limits.Time.GetTimestamp();
            var held = _limits.Time.GetElapsedTime(heldSince.Value);
            if (held >= _limits.Outage.MaxHold)
            {
                throw new RegistryFailureException(FailureKind.RetriesExhausted, attempts.LastStatus,
                    $"Registry '{_registry}' kept failing for {held.TotalSeconds:F0} s while this command waited for it; the command is kept for re-drive.");
            }
            await _circuit.WaitAsync(outcome, _limits.Outage.MaxHold - held, ct);
        }
    }

    private async Task<Outcome<HttpResponseMessage>> ExecuteAsync(Func<HttpRequestMessage> createRequest, OperationAttempts attempts, Progress progress,
        bool serverErrorIsAnswer, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(ServerErrorIsAnswer, serverErrorIsAnswer);
        try
        {
            return await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    if (state.progress.Sent)
                        state.attempts.RecordRetry();
                    state.progress.Sent = true;
                    try
                    {
                        return Outcome.FromResult(await state.self.AttemptAsync(state.createRequest, state.attempts, ctx.CancellationToken));
                    }
                    catch (Exception e)
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context, (self: this, createRequest, attempts, progress));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private HttpResponseMessage Answer(Outcome<HttpResponseMessage> outcome, bool transient, OperationAttempts attempts, CancellationToken ct)
    {
        if (outcome.Exception is { } exception)
        {
            ct.ThrowIfCancellationRequested();
            throw Exhausted(null, Describe(exception), attempts);
        }
        var response = outcome.Result!;
        if (transient)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw Exhausted(status, $"HTTP {status}", attempts);
        }
        return response;
    }

    /// <summary>
    /// One attempt: waits for a concurrency slot and a rate token (neither counts against the attempt's timeout), then
    /// sends; after a 401, fetches credentials and sends once more. Each send, answer body included, and the credential
    /// fetch in between, is bounded by <c>Retry:AttemptTimeout</c>.
    /// </summary>
    private async Task<HttpResponseMessage> AttemptAsync(Func<HttpRequestMessage> createRequest, OperationAttempts attempts, CancellationToken ct)
    {
        using var slot = await _concurrency.AcquireAsync(1, ct);
        var response = await SendOnceAsync(createRequest, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            bool refreshed;
            try
            {
                refreshed = await _attemptTimeout.ExecuteAsync(static (state, token) => state.auth.RefreshAfterUnauthorizedAsync(state.response, token),
                    (auth: _auth, response), ct);
            }
            catch
            {
                response.Dispose();
                throw;
            }
            if (refreshed)
            {
                response.Dispose();
                response = await SendOnceAsync(createRequest, ct);
            }
        }
        attempts.RecordRequest((int)response.StatusCode);
        return response;
    }

    /// <summary>
    /// Sends once. The timeout ends a wait for the headers; the answer's body stays under a deadline that expires at the
    /// same time, AttemptTimeout after the send began, so that a registry that stalls after its headers cannot hold the
    /// reader either (<see cref="AttemptBoundContent"/>).
    /// </summary>
    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> createRequest, CancellationToken ct)
    {
        if (_rate is not null)
        {
            using var token = await _rate.AcquireAsync(1, ct);
        }
        var deadline = new CancellationTokenSource(_retry.AttemptTimeout, _limits.Time);
        try
        {
            var response = await _attemptTimeout.ExecuteAsync(static async (state, token) =>
            {
                using var request = state.createRequest();
                await state.self._auth.ApplyAsync(request, token);
                var client = state.self._clients.CreateClient(ClientName(state.self._registry));
                return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }, (self: this, createRequest), ct);
            response.Content = new AttemptBoundContent(response.Content, deadline, BodyTimedOut);
            return response;
        }
        catch
        {
            deadline.Dispose();
            throw;
        }
    }

    /// <summary>Retry outside, the circuit breaker inside: every attempt counts towards the registry's health.</summary>
    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _limits.Time };
        if (_retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _retry.MaxAttempts - 1,
                // Once the registry counts as down, retrying is pointless: the caller waits for it instead.
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken) && !_circuit.IsDown
                    && !(args.Context.Properties.GetValue(ServerErrorIsAnswer, false) && IsServerError(args.Outcome))),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay.For(args.Outcome.Result, args.AttemptNumber, _retry, _limits.Time)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }
        if (_limits.Outage.Enabled)
            builder.AddCircuitBreaker(_circuit.Strategy(IsTransient));
        return builder.Build();
    }

    private static bool IsServerError(Outcome<HttpResponseMessage> outcome) => (int?)outcome.Result?.StatusCode >= 500;

    private bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken ct) => outcome switch
    {
        { Result: { } response } => _isTransient(response),
        { Exception: BrokenCircuitException } => false,
        { Exception: OperationCanceledException } when ct.IsCancellationRequested => false,
        { Exception: HttpRequestException or TimeoutRejectedException or OperationCanceledException or IOException } => true,
        _ => false,
    };

    private RegistryFailureException Exhausted(int? status, string what, OperationAttempts attempts) =>
        new(FailureKind.RetriesExhausted, status,
            $"Registry '{_registry}' still answered {what} after {attempts.Attempts} attempts; the command is kept for re-drive.");

    /// <summary>A body read the attempt's deadline ended: reported as a timeout of the attempt is, and not retried (the answer is already the caller's).</summary>
    private RegistryFailureException BodyTimedOut() =>
        new(FailureKind.RetriesExhausted, null,
            $"Registry '{_registry}' answered with a timeout: the body of its answer did not arrive within Retry:AttemptTimeout ({_retry.AttemptTimeout.TotalSeconds:0.###} s); the command is kept for re-drive.");

    private static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException => "with a timeout",
        HttpRequestException { HttpRequestError: var error } => $"with a connection error ({error})",
        _ => $"with {e.GetType().Name}",
    };

    /// <summary>
    /// Whether this call has sent a request yet: every later one is a retry, whether the retry strategy or the end of an
    /// outage brought it about. Counted when it is sent, because a retry the open circuit turns away sends nothing.
    /// </summary>
    private sealed class Progress
    {
        public bool Sent;
    }
}
