using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Integration.Tests.Contract;

/// <summary>The contract against the real CNCF registry (distribution 2.8), transient answers injected by a proxy.</summary>
public sealed class OciContractTests : RegistryContract
{
    private FaultProxy _proxy = null!;
    private RegistryClients _clients = null!;
    private readonly ImagePusher _pusher = new(TestServices.OciRegistry);
    private readonly ImagePusher _noDeletePusher = new(TestServices.OciRegistryWithoutDelete);
    private readonly string _repository = TestServices.UniqueRepository("contract");

    public override async Task InitializeAsync()
    {
        _proxy = await FaultProxy.StartAsync(TestServices.OciRegistry);
        _clients = new RegistryClients(new Dictionary<string, string?>
        {
            [$"Registries:{Registry}:Kind"] = "Oci",
            [$"Registries:{Registry}:Endpoint"] = _proxy.Address.ToString(),
            ["Registries:wrong-path:Kind"] = "Oci",
            ["Registries:wrong-path:Endpoint"] = new Uri(_proxy.Address, "not-the-api/").ToString(),
            ["Registries:no-delete:Kind"] = "Oci",
            ["Registries:no-delete:Endpoint"] = TestServices.OciRegistryWithoutDelete.ToString(),
        });
    }

    public override async Task DisposeAsync()
    {
        _clients.Dispose();
        await _proxy.DisposeAsync();
        _pusher.Dispose();
        _noDeletePusher.Dispose();
    }

    protected override async Task<string> SeedAsync(params string[] tags)
    {
        foreach (var tag in tags)
        {
            await _pusher.PushAsync(_repository, tag, tag);
            await _noDeletePusher.PushAsync(_repository, tag, tag);
        }
        return _repository;
    }

    protected override async Task<IReadOnlyList<string>> TagsAsync(string repository) => await _pusher.TagsAsync(repository);

    // The refusing registry is a second real registry, with deletion disabled, holding the same tags.
    protected override async Task<IReadOnlyList<string>> RefusingRegistryTagsAsync(string repository) => await _noDeletePusher.TagsAsync(repository);

    protected override IRegistryClient Client => _clients[Registry];
    protected override IRegistryClient MisconfiguredClient => _clients["wrong-path"];
    protected override IRegistryClient RefusingClient => _clients["no-delete"];
    protected override FailureKind RefusalKind => FailureKind.NotSupported;
    protected override void FailNextDeletes(params int[] statuses) => _proxy.FailNextDeletes(statuses);
    protected override void FailEveryDelete(int status) => _proxy.FailEveryDelete(status);
    protected override int RequestsMade => _proxy.Requests;
    protected override RegistryClients Clients => _clients;
    protected override (string Repository, string Tag) BadName => ("Team/App", "v1");
}
