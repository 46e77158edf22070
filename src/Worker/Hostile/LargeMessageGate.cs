using MassTransit;

namespace RegistryCleaner.Worker.Hostile;

/// <summary>
/// Lets one message with a body over <see cref="LargeBodyBytes"/> through at a time, per process. A command is a few hundred
/// bytes; a body of megabytes is hostile or broken, and deserializing several at once (the JSON document, then strings twice
/// its size) is what drives the worker's memory up, not the bodies waiting in the prefetch window. Small messages pass untouched.
/// </summary>
public sealed class LargeMessageGate : IEndpointConfigurationObserver
{
    public const int LargeBodyBytes = 64 * 1024;
    private readonly SemaphoreSlim _one = new(1, 1);

    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator =>
        configurator.ConfigureReceive(r => r.UseFilter(new Filter(this)));

    private async Task PassAsync(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        if (context.Body.Length is { } length && length <= LargeBodyBytes)
        {
            await next.Send(context);
            return;
        }
        await _one.WaitAsync(context.CancellationToken);
        try
        {
            await next.Send(context);
        }
        finally
        {
            _one.Release();
        }
    }

    private sealed class Filter(LargeMessageGate gate) : IFilter<ReceiveContext>
    {
        public Task Send(ReceiveContext context, IPipe<ReceiveContext> next) => gate.PassAsync(context, next);

        public void Probe(ProbeContext context) => context.CreateFilterScope("largeMessageGate");
    }
}
