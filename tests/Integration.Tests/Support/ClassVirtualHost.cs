namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// A virtual host for the workers, queues and observers of one test class (<typeparamref name="TTests"/> names it), apart
/// from the shared worker's "/" and from the classes that run beside it. Made before the class's first test, deleted after
/// its last.
/// </summary>
public sealed class ClassVirtualHost<TTests> : IAsyncLifetime
{
    private BatchVirtualHost? _host;

    public string RabbitMqUri => (_host ?? throw new InvalidOperationException("The virtual host is made before the first test.")).RabbitMqUri;

    public async Task InitializeAsync() => _host = await BatchVirtualHost.CreateAsync(typeof(TTests).Name);

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DeleteAsync();
    }
}
