using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Integration.Tests.Contract;

/// <summary>
/// What every registry kind must do, run against each: OCI against the real registry (behind a fault proxy),
/// SWR, IMS and NCR against the sandbox that follows their documented behaviour.
/// </summary>
public abstract class RegistryContract : IAsyncLifetime
{
    protected const string Registry = "under-test";

    public abstract Task InitializeAsync();
    public abstract Task DisposeAsync();

    /// <summary>A repository of this kind holding the given tags.</summary>
    protected abstract Task<string> SeedAsync(params string[] tags);
    protected abstract Task<IReadOnlyList<string>> TagsAsync(string repository);

    /// <summary>The tags where <see cref="RefusingClient"/> points (the same registry unless a kind needs another).</summary>
    protected virtual Task<IReadOnlyList<string>> RefusingRegistryTagsAsync(string repository) => TagsAsync(repository);
    protected abstract IRegistryClient Client { get; }
    protected abstract IRegistryClient MisconfiguredClient { get; }
    protected abstract IRegistryClient RefusingClient { get; }
    protected abstract FailureKind RefusalKind { get; }
    protected abstract void FailNextDeletes(params int[] statuses);
    protected abstract void FailEveryDelete(int status);
    protected abstract int RequestsMade { get; }
    protected abstract RegistryClients Clients { get; }

    /// <summary>A name of this kind's grammar gone wrong, as a hostile or careless caller would send it.</summary>
    protected abstract (string Repository, string Tag) BadName { get; }

    [Fact]
    public async Task Deleted_removes_that_tag_only()
    {
        var repository = await SeedAsync("keep", "drop");

        var result = await Client.DeleteTagAsync(repository, "drop", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(["keep"], await TagsAsync(repository));
    }

    [Fact]
    public async Task A_second_delete_is_AlreadyAbsent()
    {
        var repository = await SeedAsync("keep", "drop");
        await Client.DeleteTagAsync(repository, "drop", new OperationAttempts(), CancellationToken.None);

        var again = await Client.DeleteTagAsync(repository, "drop", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.AlreadyAbsent, again.Outcome);
        Assert.Equal(["keep"], await TagsAsync(repository));
    }

    [Fact]
    public async Task Transient_answers_are_retried_then_it_succeeds()
    {
        var repository = await SeedAsync("keep", "drop");
        FailNextDeletes(503, 429);
        var attempts = new OperationAttempts();

        var result = await Client.DeleteTagAsync(repository, "drop", attempts, CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(3, attempts.Attempts);
        Assert.Equal(["keep"], await TagsAsync(repository));
    }

    [Fact]
    public async Task Transient_answers_until_the_bound_end_in_RetriesExhausted_and_keep_the_tag()
    {
        var repository = await SeedAsync("keep", "drop");
        FailEveryDelete(503);
        var attempts = new OperationAttempts();

        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => Client.DeleteTagAsync(repository, "drop", attempts, CancellationToken.None));

        Assert.Equal(FailureKind.RetriesExhausted, failure.Kind);
        Assert.Equal(RegistryClients.MaxAttempts, attempts.Attempts);
        FailEveryDelete(0);
        Assert.Equal(["drop", "keep"], await TagsAsync(repository));
    }

    [Fact]
    public async Task A_permanent_refusal_is_not_retried_and_keeps_the_tag()
    {
        var repository = await SeedAsync("keep", "drop");
        var attempts = new OperationAttempts();

        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => RefusingClient.DeleteTagAsync(repository, "drop", attempts, CancellationToken.None));

        Assert.Equal(RefusalKind, failure.Kind);
        Assert.Equal(1, attempts.Attempts);
        Assert.Equal(["drop", "keep"], await RefusingRegistryTagsAsync(repository));
    }

    [Fact]
    public async Task A_404_from_outside_the_API_is_Misconfigured_not_success()
    {
        var repository = await SeedAsync("keep", "drop");

        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => MisconfiguredClient.DeleteTagAsync(repository, "drop", new OperationAttempts(), CancellationToken.None));

        Assert.Equal(FailureKind.Misconfigured, failure.Kind);
        Assert.Equal(404, failure.Status);
        Assert.Equal(["drop", "keep"], await TagsAsync(repository));
    }

    [Fact]
    public async Task A_bad_name_is_rejected_with_no_request_made()
    {
        var before = RequestsMade;
        var (repository, tag) = BadName;

        var refusal = Clients.Validator.Check(new DeleteTag { RequestId = Guid.NewGuid(), Registry = Registry, Repository = repository, Tag = tag }, null).Refusal;

        Assert.NotNull(refusal);
        Assert.Equal(FailureKind.Rejected, refusal.Kind);
        Assert.Equal(before, RequestsMade);
    }
}
