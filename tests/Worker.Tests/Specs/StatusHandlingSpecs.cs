using System.Net;
using System.Net.Http.Headers;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;
using static RegistryCleaner.Worker.Tests.Support.ScriptedRegistry;

namespace RegistryCleaner.Worker.Tests.Specs;

public sealed class StatusHandlingSpecs
{
    private const string TagPath = "/v2/team/app/manifests/v2";

    private static DeleteTag Command() => new() { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v2" };

    private static async Task<(object Result, ScriptedRegistry Registry, WorkerHarness Harness)> RunAsync(ScriptedRegistry registry, DeleteTag command)
    {
        var harness = new WorkerHarness(registry);
        await harness.StartAsync();
        await harness.SendAsync(QueueNames.DeleteTag, command);
        return (await harness.ResultAsync(command.RequestId), registry, harness);
    }

    [Theory]
    [InlineData(HttpStatusCode.Accepted)]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.NoContent)]
    public async Task A_2xx_answer_is_Deleted_after_one_attempt(HttpStatusCode status)
    {
        var (result, registry, harness) = await RunAsync(new ScriptedRegistry().On(HttpMethod.Delete, TagPath, Status(status)), Command());
        await using var _ = harness;

        var succeeded = Assert.IsType<DeletionSucceeded>(result);
        Assert.Equal(DeletionOutcome.Deleted, succeeded.Outcome);
        Assert.Equal(1, succeeded.Attempts);
        Assert.Equal("v2", succeeded.Tag);
        Assert.Equal(1, registry.Count(HttpMethod.Delete, TagPath));
    }

    [Theory]
    [InlineData("MANIFEST_UNKNOWN")]
    [InlineData("NAME_UNKNOWN")]
    public async Task A_404_with_the_APIs_error_body_is_AlreadyAbsent(string code)
    {
        var (result, _, harness) = await RunAsync(new ScriptedRegistry().On(HttpMethod.Delete, TagPath, OciError(HttpStatusCode.NotFound, code)), Command());
        await using var _ = harness;

        Assert.Equal(DeletionOutcome.AlreadyAbsent, Assert.IsType<DeletionSucceeded>(result).Outcome);
    }

    [Fact]
    public async Task A_404_without_the_APIs_error_body_is_Misconfigured_and_not_retried()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Delete, TagPath, Status(HttpStatusCode.NotFound, "<html>Not Found</html>"));
        var command = Command();
        var (result, _, harness) = await RunAsync(registry, command);
        await using var _ = harness;

        var failed = Assert.IsType<DeletionFailed>(result);
        Assert.Equal(FailureKind.Misconfigured, failed.Failure);
        Assert.Equal(404, failed.LastStatus);
        Assert.Contains("Endpoint", failed.Detail);
        Assert.Equal(1, registry.Count(HttpMethod.Delete, TagPath));
        Assert.True(harness.KeptInErrorQueue(command.RequestId));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task A_transient_answer_is_retried_and_then_succeeds(HttpStatusCode transient)
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Delete, TagPath, Status(transient), Status(transient), Status(HttpStatusCode.Accepted));
        var (result, _, harness) = await RunAsync(registry, Command());
        await using var _ = harness;

        var succeeded = Assert.IsType<DeletionSucceeded>(result);
        Assert.Equal(DeletionOutcome.Deleted, succeeded.Outcome);
        Assert.Equal(3, succeeded.Attempts);
        Assert.Equal(3, registry.Count(HttpMethod.Delete, TagPath));
    }

    [Fact]
    public async Task Connection_errors_and_timeouts_are_retried()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Delete, TagPath,
            Throws(new HttpRequestException(HttpRequestError.ConnectionError, "connection refused")), Hangs(), Status(HttpStatusCode.Accepted));
        var (result, _, harness) = await RunAsync(registry, Command());
        await using var _ = harness;

        Assert.Equal(3, Assert.IsType<DeletionSucceeded>(result).Attempts);
    }

    /// <summary>A short attempt timeout, so that a stalled answer ends quickly.</summary>
    private static readonly Dictionary<string, string?> ShortAttempts = new() { ["Retry:AttemptTimeout"] = "00:00:00.200" };

    private static readonly TimeSpan StallBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_answer_whose_body_stalls_after_its_headers_fails_at_the_attempt_timeout_and_the_next_command_goes_through()
    {
        // The manifest GET (read before every tag delete) sends its headers, then nothing of its body.
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Get, TagPath, StallsBody(), AnyManifest)
            .On(HttpMethod.Delete, TagPath, Status(HttpStatusCode.Accepted));
        var harness = new WorkerHarness(registry, ShortAttempts);
        await using var _ = harness;
        await harness.StartAsync();

        var stalled = Command();
        await harness.SendAsync(QueueNames.DeleteTag, stalled);
        var failed = Assert.IsType<DeletionFailed>(Assert.Single(await harness.ResultsAsync([stalled.RequestId], StallBound)));
        Assert.Equal(FailureKind.RetriesExhausted, failed.Failure);
        Assert.Contains("Retry:AttemptTimeout", failed.Detail);
        Assert.True(failed.KeptForRedrive);
        Assert.Equal(0, registry.Count(HttpMethod.Delete, TagPath));

        var next = Command();
        await harness.SendAsync(QueueNames.DeleteTag, next);
        Assert.IsType<DeletionSucceeded>(Assert.Single(await harness.ResultsAsync([next.RequestId], StallBound)));
        Assert.Equal(1, registry.Count(HttpMethod.Delete, TagPath));
    }

    [Fact]
    public async Task A_token_fetch_that_stalls_times_out_like_any_attempt_and_is_retried()
    {
        var challenge = Status(HttpStatusCode.Unauthorized, null,
            r => r.Headers.WwwAuthenticate.ParseAdd($"Bearer realm=\"{WorkerHarness.Endpoint}/token\",service=\"test\",scope=\"repository:team/app:delete\""));
        // The token endpoint sends its headers and then stalls, once; the retry gets a token.
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Get, TagPath, challenge, challenge, AnyManifest)
            .On(HttpMethod.Get, "/token", StallsBody(), Status(HttpStatusCode.OK, """{"token":"t0k3n","expires_in":300}"""))
            .On(HttpMethod.Delete, TagPath, Status(HttpStatusCode.Accepted));
        var harness = new WorkerHarness(registry, ShortAttempts);
        await using var _ = harness;
        await harness.StartAsync();

        var command = Command();
        await harness.SendAsync(QueueNames.DeleteTag, command);

        var succeeded = Assert.IsType<DeletionSucceeded>(Assert.Single(await harness.ResultsAsync([command.RequestId], StallBound)));
        Assert.Equal(2, registry.Count(HttpMethod.Get, "/token"));
        Assert.Equal("Bearer t0k3n", registry.Requests.Last(r => r.Path == TagPath).Authorization);
        Assert.True(succeeded.Attempts > 1);
    }

    [Fact]
    public async Task Attempts_are_bounded_and_the_exhausted_command_is_kept_for_redrive()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Delete, TagPath, Status(HttpStatusCode.ServiceUnavailable));
        var command = Command();
        var (result, _, harness) = await RunAsync(registry, command);
        await using var _ = harness;

        var failed = Assert.IsType<DeletionFailed>(result);
        Assert.Equal(FailureKind.RetriesExhausted, failed.Failure);
        Assert.Equal(503, failed.LastStatus);
        Assert.Equal(3, failed.Attempts);
        Assert.True(failed.KeptForRedrive);
        Assert.Equal(3, registry.Count(HttpMethod.Delete, TagPath));
        Assert.True(harness.KeptInErrorQueue(command.RequestId));
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_and_then_succeeds()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Delete, TagPath,
            Status(HttpStatusCode.TooManyRequests, configure: r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMilliseconds(200))),
            Status(HttpStatusCode.Accepted));
        var (result, _, harness) = await RunAsync(registry, Command());
        await using var _ = harness;

        Assert.Equal(2, Assert.IsType<DeletionSucceeded>(result).Attempts);
        Assert.Equal(2, registry.Count(HttpMethod.Delete, TagPath));
    }

    /// <summary>The wait before a retry is what the registry said in Retry-After, not the (at most 50 ms) backoff; bounded by Retry:MaxRetryAfter.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(30, 30)]
    [InlineData(3600, 60)]
    public void The_retry_waits_what_Retry_After_says_up_to_its_bound(int retryAfterSeconds, int expectedSeconds)
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50), MaxRetryAfter = TimeSpan.FromMinutes(1) };
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryDelay.For(response, attemptNumber: 0, options, TimeProvider.System));
    }

    [Fact]
    public void Without_Retry_After_the_wait_is_the_jittered_backoff()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.InRange(RetryDelay.For(response, attemptNumber: 3, options, TimeProvider.System), TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(50));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "MANIFEST_INVALID", FailureKind.RegistryError)]
    [InlineData(HttpStatusCode.Forbidden, "DENIED", FailureKind.Forbidden)]
    [InlineData(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED", FailureKind.NotSupported)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID", FailureKind.RegistryError)]
    public async Task Permanent_answers_are_never_retried(HttpStatusCode status, string code, FailureKind kind)
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Delete, TagPath, OciError(status, code));
        var (result, _, harness) = await RunAsync(registry, Command());
        await using var _ = harness;

        var failed = Assert.IsType<DeletionFailed>(result);
        Assert.Equal(kind, failed.Failure);
        Assert.Equal((int)status, failed.LastStatus);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(1, registry.Count(HttpMethod.Delete, TagPath));
    }

    [Fact]
    public async Task A_401_fetches_a_token_once_and_then_fails_as_Unauthorized()
    {
        var challenge = Status(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""",
            r => r.Headers.WwwAuthenticate.ParseAdd($"Bearer realm=\"{WorkerHarness.Endpoint}/token\",service=\"test\",scope=\"repository:team/app:delete\""));
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Delete, TagPath, challenge)
            .On(HttpMethod.Get, "/token", Status(HttpStatusCode.OK, """{"token":"t0k3n","expires_in":300}"""));
        var (result, _, harness) = await RunAsync(registry, Command());
        await using var _ = harness;

        var failed = Assert.IsType<DeletionFailed>(result);
        Assert.Equal(FailureKind.Unauthorized, failed.Failure);
        Assert.Equal(2, registry.Count(HttpMethod.Delete, TagPath));
        Assert.Equal(1, registry.Count(HttpMethod.Get, "/token"));
        Assert.Equal("Bearer t0k3n", registry.Requests.Last(r => r.Path == TagPath).Authorization);
        Assert.DoesNotContain("t0k3n", failed.Detail);
    }

    [Fact]
    public async Task A_bearer_token_is_fetched_and_cached_for_later_commands()
    {
        var challenge = Status(HttpStatusCode.Unauthorized, null,
            r => r.Headers.WwwAuthenticate.ParseAdd($"Bearer realm=\"{WorkerHarness.Endpoint}/token\",service=\"test\",scope=\"repository:team/app:delete\""));
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Delete, TagPath, challenge, Status(HttpStatusCode.Accepted))
            .On(HttpMethod.Get, "/token", Status(HttpStatusCode.OK, """{"access_token":"abc","expires_in":300}"""));
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();

        foreach (var command in new[] { Command(), Command() })
        {
            await harness.SendAsync(QueueNames.DeleteTag, command);
            Assert.IsType<DeletionSucceeded>(await harness.ResultAsync(command.RequestId));
        }
        Assert.Equal(1, registry.Count(HttpMethod.Get, "/token"));
        Assert.Equal(3, registry.Count(HttpMethod.Delete, TagPath));
    }
}
