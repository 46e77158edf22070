using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Integration.Tests.Contract;

/// <summary>The contract for the vendor APIs that cannot be reached from here, run against the sandbox.</summary>
public abstract class SandboxContract : RegistryContract
{
    private SandboxServer _sandbox = null!;
    private RegistryClients _clients = null!;

    protected abstract SeedRegistry Seed { get; }
    protected abstract string NewRepository();

    /// <summary>The registry's endpoint with its API path broken, as a typo in configuration would.</summary>
    protected abstract string WrongPath(Uri endpoint);

    public override async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxSeed { Registries = [Seed] });
        var endpoint = _sandbox.EndpointOf(Seed.Name);
        _clients = new RegistryClients(Settings(Registry, endpoint.ToString(), Seed.SecretKey)
            .Concat(Settings("wrong-path", WrongPath(endpoint), Seed.SecretKey))
            .Concat(Settings("wrong-secret", endpoint.ToString(), "not-the-secret"))
            .ToDictionary());
    }

    private IEnumerable<KeyValuePair<string, string?>> Settings(string name, string endpoint, string? secret)
    {
        var key = $"Registries:{name}";
        yield return new($"{key}:Kind", Seed.Kind.ToString());
        yield return new($"{key}:Endpoint", endpoint);
        yield return new($"{key}:AccessKey", Seed.AccessKey);
        yield return new($"{key}:SecretKey", secret);
        yield return new($"{key}:ProjectId", Seed.ProjectId);
        yield return new($"{key}:NcrRegistry", Seed.NcrRegistry);
    }

    public override async Task DisposeAsync()
    {
        _clients.Dispose();
        await _sandbox.DisposeAsync();
    }

    protected override Task<string> SeedAsync(params string[] tags)
    {
        var repository = NewRepository();
        foreach (var tag in tags)
            _sandbox.State.AddTag(Seed.Name, repository, new SeedTag { Name = tag, Value = "v", Created = DateTimeOffset.UtcNow });
        return Task.FromResult(repository);
    }

    protected override Task<IReadOnlyList<string>> TagsAsync(string repository) => Task.FromResult(_sandbox.State.Tags(Seed.Name, repository));

    protected override IRegistryClient Client => _clients[Registry];
    protected override IRegistryClient MisconfiguredClient => _clients["wrong-path"];
    protected override IRegistryClient RefusingClient => _clients["wrong-secret"];
    protected override FailureKind RefusalKind => FailureKind.Unauthorized;
    protected override int RequestsMade => _sandbox.Requests.Count;
    protected override RegistryClients Clients => _clients;

    protected override void FailNextDeletes(params int[] statuses) =>
        _sandbox.Faults.Add(new FaultRule { Registry = Seed.Name, Method = "DELETE", Sequence = statuses });

    protected override void FailEveryDelete(int status)
    {
        _sandbox.Faults.Clear();
        if (status != 0)
            _sandbox.Faults.Add(new FaultRule { Registry = Seed.Name, Method = "DELETE", Probability = 1, Status = status });
    }

    protected static string Unique() => Guid.NewGuid().ToString("N")[..10];
}

public sealed class SwrContractTests : SandboxContract
{
    protected override SeedRegistry Seed { get; } = new() { Name = "swr", Kind = RegistryCleaner.Sandbox.RegistryKind.Swr, AccessKey = "AKCONTRACT", SecretKey = "SKCONTRACT" };
    protected override string NewRepository() => $"acme/team/web-{Unique()}";
    protected override string WrongPath(Uri endpoint) => new Uri(endpoint, "v1/").ToString();
    protected override (string Repository, string Tag) BadName => ("1acme/web", "v1");
}

public sealed class ImsContractTests : SandboxContract
{
    protected override SeedRegistry Seed { get; } = new() { Name = "ims", Kind = RegistryCleaner.Sandbox.RegistryKind.Ims, AccessKey = "AKCONTRACT", SecretKey = "SKCONTRACT", ProjectId = "p0123456789" };
    protected override string NewRepository() => Guid.NewGuid().ToString();
    protected override string WrongPath(Uri endpoint) => new Uri(endpoint, "v1/").ToString();
    protected override (string Repository, string Tag) BadName => ("not an image id", "owner");
}

public sealed class NcrContractTests : SandboxContract
{
    protected override SeedRegistry Seed { get; } = new() { Name = "ncr", Kind = RegistryCleaner.Sandbox.RegistryKind.Ncr, AccessKey = "AKCONTRACT", SecretKey = "SKCONTRACT", NcrRegistry = "myreg" };
    protected override string NewRepository() => $"team/app-{Unique()}";
    protected override string WrongPath(Uri endpoint) => endpoint.ToString().Replace("/ncr/api/v2", "/ncr/v9", StringComparison.Ordinal);
    protected override (string Repository, string Tag) BadName => ("Hello/World", "v1");
}
