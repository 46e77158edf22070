using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.PlainJson;
using Xunit;

namespace RegistryCleaner.Worker.Tests.PlainJson;

/// <summary>
/// The schemas in schemas/ are generated from the contracts; a contract that changes without its schema fails here.
/// Regenerate them with <c>bash scripts/schemas.sh</c> (which sets RC_WRITE_SCHEMAS=1 for this test).
/// </summary>
public sealed class ContractSchemaSpecs
{
    private static readonly string SchemasDirectory = Path.Combine(RepositoryRoot(), "schemas");

    [Fact]
    public void The_schemas_in_the_repository_match_the_contracts()
    {
        var generated = ContractSchemas.Generate();
        if (Environment.GetEnvironmentVariable("RC_WRITE_SCHEMAS") == "1")
            Write(generated);

        var onDisk = Directory.EnumerateFiles(SchemasDirectory, "*.schema.json", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(SchemasDirectory, f).Replace('\\', '/'), File.ReadAllText);
        Assert.True(generated.Keys.SequenceEqual(onDisk.Keys.Order(StringComparer.Ordinal)),
            $"schemas/ holds [{string.Join(", ", onDisk.Keys.Order())}] but the contracts give [{string.Join(", ", generated.Keys)}]: run bash scripts/schemas.sh");
        foreach (var (name, text) in generated)
            Assert.True(text == onDisk[name].ReplaceLineEndings("\n"), $"schemas/{name} does not match its contract: run bash scripts/schemas.sh");
    }

    [Fact]
    public void Every_command_and_event_has_a_schema()
    {
        var generated = ContractSchemas.Generate().Keys;
        Assert.Equal(["commands/DeleteRepository.schema.json", "commands/DeleteTag.schema.json", "commands/ReclaimDigests.schema.json",
            "commands/RestoreTag.schema.json", "commands/RunRetentionPolicy.schema.json",
            "events/DeletionFailed.schema.json", "events/DeletionSucceeded.schema.json", "events/DigestReclaimed.schema.json",
            "events/ReclaimCompleted.schema.json", "events/RestoreFailed.schema.json", "events/RetentionRunCompleted.schema.json",
            "events/TagRestored.schema.json"], generated);
    }

    [Fact]
    public void Events_as_the_worker_publishes_them_are_valid()
    {
        var now = DateTimeOffset.UtcNow;
        Valid("events/DeletionSucceeded", new DeletionSucceeded
        {
            RequestId = Guid.NewGuid(), Registry = "prod", Repository = "team/app", Tag = "v1", Outcome = DeletionOutcome.AlreadyAbsent,
            Attempts = 2, Elapsed = TimeSpan.FromMilliseconds(1234), CompletedAt = now,
        });
        Valid("events/DeletionSucceeded", new DeletionSucceeded { RequestId = Guid.NewGuid(), Registry = "prod", Repository = "team/app", TagsDeleted = 3 });
        Valid("events/DeletionFailed", new DeletionFailed
        {
            RequestId = Guid.NewGuid(), Registry = "prod", Repository = "team/app", Tag = "v1", Failure = FailureKind.RetriesExhausted,
            LastStatus = 503, Detail = "503 five times", Attempts = 5, Elapsed = TimeSpan.FromDays(1.5), FailedAt = now, KeptForRedrive = true,
            VerifiedPublisher = "ci", RunId = Guid.NewGuid(), Policy = "nightly",
        });
        Valid("events/RetentionRunCompleted", new RetentionRunCompleted
        {
            RunId = Guid.NewGuid(), Policy = "nightly", Registry = "prod", Status = RetentionRunStatus.Completed, TagsScanned = 3, TagsToDelete = 1,
            Repositories = [new RepositoryPlan { Repository = "team/app", Scanned = 3, Kept = 2, ToDelete = 1, Condemned = [new CondemnedTag { Tag = "old", Created = now, Rule = "older than 30d" }] }],
        });
    }

    [Fact]
    public void The_event_schemas_reject_what_the_worker_never_writes()
    {
        var succeeded = JsonSerializer.SerializeToNode(new DeletionSucceeded { RequestId = Guid.NewGuid(), Registry = "prod", Repository = "a" }, ContractJson.Options)!.AsObject();
        succeeded["outcome"] = 1;
        Assert.False(Evaluate("events/DeletionSucceeded", succeeded));
        succeeded["outcome"] = "Deleted";
        succeeded.Remove("requestId");
        Assert.False(Evaluate("events/DeletionSucceeded", succeeded));
    }

    [Theory]
    [InlineData("commands/DeleteTag", """{"requestId":"3f2c8e59-3a57-4d35-9d68-3b0e8f6f2a01","registry":"prod","repository":"team/app","tag":"v1","reason":"merged"}""", true)]
    [InlineData("commands/DeleteTag", """{"registry":"prod","repository":"team/app","tag":"v1"}""", true)]
    [InlineData("commands/DeleteTag", """{"registry":"prod","repository":"team/app"}""", false)]
    [InlineData("commands/DeleteTag", """{"registry":"prod","repository":"team/app","tag":"v1","deleteTagsFirst":true}""", false)]
    [InlineData("commands/DeleteTag", """{"requestId":12345,"registry":"prod","repository":"team/app","tag":"v1"}""", false)]
    [InlineData("commands/DeleteRepository", """{"registry":"prod","repository":"team/app","deleteTagsFirst":true}""", true)]
    [InlineData("commands/DeleteRepository", """{"registry":"prod","repository":"team/app","tag":"v1"}""", false)]
    [InlineData("commands/RunRetentionPolicy", """{"runId":"3f2c8e59-3a57-4d35-9d68-3b0e8f6f2a01","policy":"nightly","dryRun":true}""", true)]
    [InlineData("commands/RunRetentionPolicy", """{"dryRun":"yes","policy":"nightly"}""", false)]
    public void Command_schemas_accept_what_the_worker_accepts_and_refuse_the_rest(string schema, string body, bool valid) =>
        Assert.Equal(valid, Evaluate(schema, JsonNode.Parse(body)));

    private static void Valid<T>(string schema, T message)
    {
        var node = JsonSerializer.SerializeToNode(message, ContractJson.Options);
        Assert.True(Evaluate(schema, node), $"{typeof(T).Name} does not match {schema}: {node}");
    }

    private static bool Evaluate(string schema, JsonNode? instance)
    {
        var parsed = JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemasDirectory, schema + ".schema.json")));
        return parsed.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true }).IsValid;
    }

    private static void Write(IReadOnlyDictionary<string, string> generated)
    {
        if (Directory.Exists(SchemasDirectory))
        {
            foreach (var stale in Directory.EnumerateFiles(SchemasDirectory, "*.schema.json", SearchOption.AllDirectories))
                File.Delete(stale);
        }
        foreach (var (name, text) in generated)
        {
            var path = Path.Combine(SchemasDirectory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Worker.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("The repository root (with Worker.sln) is not above " + AppContext.BaseDirectory);
    }
}
