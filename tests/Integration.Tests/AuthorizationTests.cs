using System.Text;
using RabbitMQ.Client;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>Who may delete what, and what nobody may delete, on real RabbitMQ users and the real registry.</summary>
[Collection(AuthorizationCollection.Name)]
public sealed class AuthorizationTests(AuthorizationFixture fixture)
{
    private static DeleteTag Command(string repository, string tag, string? requestedBy = null) =>
        new() { RequestId = Guid.NewGuid(), Registry = AuthorizationFixture.Registry, Repository = repository, Tag = tag, RequestedBy = requestedBy };

    [Fact]
    public async Task The_allowed_users_command_is_carried_out_and_its_event_names_the_verified_publisher()
    {
        var repository = AuthorizationFixture.UniqueInScope("ok");
        await fixture.Images.PushAsync(repository, "one", "v1", "v2");
        var command = Command(repository, "v1");

        await fixture.SendAsAllowedAsync(QueueNames.DeleteTag, command);

        var succeeded = Assert.IsType<DeletionSucceeded>(await fixture.ResultAsync(command.RequestId));
        Assert.Equal(DeletionOutcome.Deleted, succeeded.Outcome);
        Assert.Equal(fixture.Allowed.Username, succeeded.VerifiedPublisher);
        Assert.Equal(["v2"], await fixture.Images.TagsAsync(repository));
    }

    [Fact]
    public async Task Another_users_command_is_refused_and_the_tag_stays()
    {
        var repository = AuthorizationFixture.UniqueInScope("other");
        await fixture.Images.PushAsync(repository, "one", "v1");
        var command = Command(repository, "v1");

        await fixture.SendAsOtherAsync(QueueNames.DeleteTag, command);

        var failed = Assert.IsType<DeletionFailed>(await fixture.ResultAsync(command.RequestId));
        Assert.Equal(FailureKind.Forbidden, failed.Failure);
        Assert.Equal(fixture.Other.Username, failed.VerifiedPublisher);
        Assert.Contains($"Registries:{AuthorizationFixture.Registry}:AllowedPublishers", failed.Detail);
        Assert.Equal(["v1"], await fixture.Images.TagsAsync(repository));
    }

    [Fact]
    public async Task The_copy_kept_for_re_drive_carries_no_verified_identity()
    {
        var command = Command(AuthorizationFixture.UniqueInScope("kept"), "v1");
        await fixture.SendAsOtherAsync(QueueNames.DeleteTag, command);
        Assert.IsType<DeletionFailed>(await fixture.ResultAsync(command.RequestId));

        var kept = await CopyInQueueAsync(QueueNames.DeleteTag + "_error", body => body.Contains(command.RequestId.ToString(), StringComparison.Ordinal));
        Assert.False(kept.BasicProperties.IsUserIdPresent(), "a re-driven copy must not pass for the worker's own command");
        Assert.Equal(fixture.Other.Username, Encoding.UTF8.GetString((byte[])kept.BasicProperties.Headers!["RC-Original-Publisher"]!));
    }

    [Fact]
    public async Task A_command_naming_the_allowed_user_in_RequestedBy_but_published_by_another_is_refused()
    {
        var repository = AuthorizationFixture.UniqueInScope("claim");
        await fixture.Images.PushAsync(repository, "one", "v1");
        var command = Command(repository, "v1", requestedBy: fixture.Allowed.Username);

        await fixture.SendAsOtherAsync(QueueNames.DeleteTag, command);

        var failed = Assert.IsType<DeletionFailed>(await fixture.ResultAsync(command.RequestId));
        Assert.Equal(FailureKind.Forbidden, failed.Failure);
        Assert.Equal(fixture.Allowed.Username, failed.RequestedBy);
        Assert.Equal(fixture.Other.Username, failed.VerifiedPublisher);
        Assert.Equal(["v1"], await fixture.Images.TagsAsync(repository));
    }

    [Fact]
    public async Task The_broker_refuses_a_publish_whose_user_id_names_someone_else()
    {
        var repository = AuthorizationFixture.UniqueInScope("forged");
        await fixture.Images.PushAsync(repository, "one", "v1");
        var command = Command(repository, "v1");
        await using var connection = await new ConnectionFactory { Uri = new Uri(fixture.OtherUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, UserId = fixture.Allowed.Username };

        var refused = await Record.ExceptionAsync(async () =>
            await channel.BasicPublishAsync("", QueueNames.DeleteTag, true, properties, Envelope(command)));

        Assert.NotNull(refused);
        // A command sent after it is handled: had the forged one reached the worker, its result would be there too.
        var marker = Command(repository, "absent");
        await fixture.SendAsAllowedAsync(QueueNames.DeleteTag, marker);
        await fixture.ResultAsync(marker.RequestId);
        Assert.False(fixture.AnyResult(command.RequestId));
        Assert.Equal(["v1"], await fixture.Images.TagsAsync(repository));
    }

    [Fact]
    public async Task A_protected_tag_survives_a_direct_command_from_the_allowed_user()
    {
        var repository = AuthorizationFixture.UniqueInScope("protected");
        var digest = await fixture.Images.PushAsync(repository, "one", "latest", "prod-2024");

        foreach (var (tag, rule) in new[] { ("latest", "Protection:Tags:0"), ("prod-2024", $"Registries:{AuthorizationFixture.Registry}:ProtectedTags:0") })
        {
            var command = Command(repository, tag);
            await fixture.SendAsAllowedAsync(QueueNames.DeleteTag, command);

            var failed = Assert.IsType<DeletionFailed>(await fixture.ResultAsync(command.RequestId));
            Assert.Equal(FailureKind.Forbidden, failed.Failure);
            Assert.Contains(rule, failed.Detail);
        }
        Assert.Equal(digest, await fixture.Images.ResolveAsync(repository, "latest"));
        Assert.Equal(digest, await fixture.Images.ResolveAsync(repository, "prod-2024"));
    }

    [Fact]
    public async Task A_protected_tag_survives_a_retention_run()
    {
        var repository = AuthorizationFixture.RetentionRepository;
        var now = DateTimeOffset.UtcNow;
        var old = await fixture.Images.PushAsync(repository, "old", now.AddDays(-300), "latest", "v1");
        var release = await fixture.Images.PushAsync(repository, "release", now.AddDays(-200), "prod-1");
        await fixture.Images.PushAsync(repository, "v2", now.AddDays(-100), "v2");
        await fixture.Images.PushAsync(repository, "v3", now.AddDays(-1), "v3");
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = AuthorizationFixture.Policy };

        await fixture.SendAsAllowedAsync(QueueNames.RunRetentionPolicy, run);
        var report = await fixture.RunAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Completed, report.Status);
        var plan = Assert.Single(report.Repositories);
        Assert.Equal(2, plan.Protected);
        Assert.Equal(["v1", "v2"], plan.Condemned.Select(c => c.Tag).Order(StringComparer.Ordinal));
        foreach (var tag in plan.Condemned)
            Assert.Equal(fixture.Worker.Username, (await fixture.RunDeletionAsync(run.RunId, tag.Tag)).VerifiedPublisher);
        Assert.Equal(["latest", "prod-1", "v3"], await fixture.Images.TagsAsync(repository));
        Assert.Equal(old, await fixture.Images.ResolveAsync(repository, "latest"));
        Assert.Equal(release, await fixture.Images.ResolveAsync(repository, "prod-1"));
    }

    [Fact]
    public async Task A_retention_run_started_by_another_user_is_refused()
    {
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = AuthorizationFixture.Policy, RequestedBy = fixture.Allowed.Username };

        await fixture.SendAsOtherAsync(QueueNames.RunRetentionPolicy, run);
        var report = await fixture.RunAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("AllowedPublishers", report.Reason);
        Assert.Empty(report.Repositories);
    }

    [Fact]
    public async Task A_repository_outside_the_scope_is_never_called()
    {
        var outside = $"it/outside-{Guid.NewGuid().ToString("N")[..12]}";
        var inside = AuthorizationFixture.UniqueInScope("control");
        await fixture.Images.PushAsync(outside, "one", "v1");
        await fixture.Images.PushAsync(inside, "one", "v1");
        var before = (Outside: LogLinesAbout(outside), Inside: LogLinesAbout(inside));

        var tag = Command(outside, "v1");
        var repository = new DeleteRepository { RequestId = Guid.NewGuid(), Registry = AuthorizationFixture.Registry, Repository = outside, DeleteTagsFirst = true };
        var control = Command(inside, "v1");
        await fixture.SendAsAllowedAsync(QueueNames.DeleteTag, tag);
        await fixture.SendAsAllowedAsync(QueueNames.DeleteRepository, repository);
        await fixture.SendAsAllowedAsync(QueueNames.DeleteTag, control);

        foreach (var refused in new[] { tag.RequestId, repository.RequestId })
        {
            var failed = Assert.IsType<DeletionFailed>(await fixture.ResultAsync(refused));
            Assert.Equal(FailureKind.Forbidden, failed.Failure);
            Assert.Contains($"Registries:{AuthorizationFixture.Registry}:AllowedRepositories", failed.Detail);
        }
        Assert.IsType<DeletionSucceeded>(await fixture.ResultAsync(control.RequestId));
        await Eventually.TrueAsync(() => LogLinesAbout(inside) > before.Inside, describe: () => "the registry log does not show the worker's requests (control)");
        Assert.Equal(before.Outside, LogLinesAbout(outside));
        Assert.Equal(["v1"], await fixture.Images.TagsAsync(outside));
    }

    [Fact]
    public async Task An_unreadable_message_from_another_user_still_reaches_the_error_queue()
    {
        var factory = new ConnectionFactory { Uri = new Uri(fixture.OtherUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var before = await ErrorCountAsync(connection);
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, UserId = fixture.Other.Username };

        await channel.BasicPublishAsync("", QueueNames.DeleteTag, true, properties, Encoding.UTF8.GetBytes("{not json"));

        await Eventually.TrueAsync(async () => await ErrorCountAsync(connection) > before, TimeSpan.FromSeconds(20), () => "nothing reached delete-tag_error");
        Assert.Equal(before + 1, await ErrorCountAsync(connection));
        var moved = await CopyInQueueAsync(QueueNames.DeleteTag + "_error", body => body == "{not json");
        Assert.False(moved.BasicProperties.IsUserIdPresent(), "the broker refuses a move that keeps another user's user_id");
        Assert.Equal(fixture.Other.Username, Encoding.UTF8.GetString((byte[])moved.BasicProperties.Headers!["RC-Original-Publisher"]!));
        Assert.False(moved.BasicProperties.Headers.ContainsKey(PoisonHeaders.Reason), "moved at its first failure, not after the channel closed under it");
    }

    [Fact]
    public async Task A_message_from_another_user_that_no_consumer_takes_reaches_the_skipped_queue_without_its_user_id()
    {
        var factory = new ConnectionFactory { Uri = new Uri(fixture.OtherUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, UserId = fixture.Other.Username };
        var messageId = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
        {
            messageId,
            messageType = new[] { "urn:message:RegistryCleaner.Contracts:NoSuchCommand" },
            message = new { },
        }));

        await channel.BasicPublishAsync("", QueueNames.DeleteTag, true, properties, body);

        var moved = await CopyInQueueAsync(QueueNames.DeleteTag + "_skipped", text => text.Contains(messageId.ToString(), StringComparison.Ordinal));
        Assert.False(moved.BasicProperties.IsUserIdPresent(), "the broker refuses a move that keeps another user's user_id");
        Assert.Equal(fixture.Other.Username, Encoding.UTF8.GetString((byte[])moved.BasicProperties.Headers!["RC-Original-Publisher"]!));
    }

    /// <summary>The message in <paramref name="queue"/> whose body matches, waited for and left in the queue.</summary>
    private async Task<BasicGetResult> CopyInQueueAsync(string queue, Func<string, bool> bodyMatches)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(fixture.WorkerUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        BasicGetResult? moved = null;
        await Eventually.TrueAsync(async () =>
        {
            if (await CountAsync(connection, queue) == 0)
                return false;
            while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
            {
                if (bodyMatches(Encoding.UTF8.GetString(message.Body.Span)))
                    moved = message;
            }
            await channel.BasicNackAsync(0, multiple: true, requeue: true);
            return moved is not null;
        }, TimeSpan.FromSeconds(20), () => $"the message did not reach {queue}");
        return moved!;
    }

    /// <summary>Messages in delete-tag_error; MassTransit declares that queue on its first move, so until then it holds none.</summary>
    private static Task<uint> ErrorCountAsync(IConnection connection) => CountAsync(connection, QueueNames.DeleteTag + "_error");

    private static async Task<uint> CountAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    private int LogLinesAbout(string repository) =>
        File.ReadLines(fixture.RegistryLog).Count(line => line.Contains($"/v2/{repository}/", StringComparison.Ordinal));

    private static byte[] Envelope(DeleteTag command) => Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
    {
        messageId = Guid.NewGuid(),
        messageType = new[] { "urn:message:RegistryCleaner.Contracts:DeleteTag" },
        message = command,
    }, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
}
