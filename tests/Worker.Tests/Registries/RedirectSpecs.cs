using System.Net.Http.Headers;
using System.Text;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Tests.Retention;
using Xunit;
using static RegistryCleaner.Worker.Tests.Registries.SandboxRegistries;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>
/// A registry's redirect is a failure, never followed with the request's credentials; only an OCI blob read follows
/// one (to storage), without them.
/// </summary>
public sealed class RedirectSpecs : IAsyncLifetime
{
    private const string Elsewhere = "elsewhere";
    private const string User = "robot";
    private const string Password = "oci-password-41c7";
    private SandboxRegistries _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxRegistries.StartAsync(
        RegistrySeeds.Swr(), RegistrySeeds.Ims(), RegistrySeeds.Ncr(),
        new SeedRegistry
        {
            Name = "oci",
            Kind = RegistryCleaner.Sandbox.RegistryKind.Oci,
            Auth = new SeedAuth { Mode = AuthMode.Basic, Username = User, Password = Password },
            Repositories = [new SeedRepository { Name = "team/app" }],
        },
        new SeedRegistry { Name = Elsewhere, Kind = RegistryCleaner.Sandbox.RegistryKind.Oci, Repositories = [new SeedRepository { Name = "team/app" }] });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Theory]
    [InlineData("swr", "acme/web", "v1")]
    [InlineData("ims", RegistrySeeds.ImageId, "env")]
    [InlineData("ncr", "hello/world", "v1")]
    public async Task A_redirected_delete_fails_and_nothing_is_sent_where_it_points(string registry, string repository, string tag)
    {
        // A 303 turns the request into a GET, which the other host answers 200: followed, that would pass for a deletion.
        var target = new Uri(_sandbox.Server.EndpointOf(Elsewhere), "v2/");
        _sandbox.Server.Faults.Add(new FaultRule { Registry = registry, Method = "DELETE", Sequence = [303], RedirectTo = target.AbsoluteUri });

        var failure = await FailsAsync(FailureKind.Misconfigured,
            () => _sandbox.Client(registry).DeleteTagAsync(repository, tag, new OperationAttempts(), CancellationToken.None));

        Assert.Equal(303, failure.Status);
        Assert.Contains($"redirect (HTTP 303) to {target.GetLeftPart(UriPartial.Authority)}", failure.Message);
        Assert.Contains($"Registries:{registry}:Endpoint", failure.Message);
        Assert.Contains(tag, _sandbox.State.Tags(registry, repository));
        Assert.Empty(_sandbox.Requests(Elsewhere));
    }

    [Fact]
    public async Task A_redirect_target_is_named_by_its_host_alone()
    {
        const string password = "redirect-pass-93f1";
        _sandbox.Server.Faults.Add(new FaultRule
        {
            Registry = "swr", Method = "DELETE", Sequence = [307],
            RedirectTo = $"https://robot:{password}@storage.example.com:8443/bucket/v1?X-Amz-Signature=abc123",
        });

        var failure = await FailsAsync(FailureKind.Misconfigured,
            () => _sandbox.Client("swr").DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None), password, "robot", "abc123", "bucket");

        Assert.Contains("to https://storage.example.com:8443.", failure.Message);
    }

    [Fact]
    public async Task An_oci_blob_read_follows_a_redirect_to_storage_without_the_registry_credentials()
    {
        var created = new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        using (var registry = new SandboxImages(_sandbox.Server.EndpointOf("oci"), "team/app", basic))
            await registry.ImageAsync("app", created.ToString("O"), tag: "v1");
        using (var storage = new SandboxImages(_sandbox.Server.EndpointOf(Elsewhere), "team/app"))
            await storage.ImageAsync("app", created.ToString("O"), tag: "copy");
        var blobPath = $"v2/team/app/blobs/{SandboxImages.Digest(SandboxImages.Config("app", created.ToString("O")))}";
        _sandbox.Server.Faults.Add(new FaultRule
        {
            Registry = "oci", Method = "GET", PathPattern = "/blobs/", Sequence = [307],
            RedirectTo = new Uri(_sandbox.Server.EndpointOf(Elsewhere), blobPath).AbsoluteUri,
        });
        _sandbox.Server.Requests.Clear();
        var client = _sandbox.Client("oci", values =>
        {
            values["Registries:oci:Username"] = User;
            values["Registries:oci:Password"] = Password;
        });

        var tags = await client.ListTagsAsync("team/app", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(created, Assert.Single(tags!).Created);
        Assert.Contains(_sandbox.Requests("oci"), r => r.Method == "GET" && r.RawPath == "/" + blobPath && r.Status == 307 && r.CarriedCredentials);
        var read = Assert.Single(_sandbox.Requests(Elsewhere));
        Assert.Equal(("GET", "/" + blobPath, 200, false), (read.Method, read.RawPath, read.Status, read.CarriedCredentials));
    }
}
