using System.Diagnostics.Metrics;

namespace RegistryCleaner.Sandbox.Tests;

/// <summary>Tells when a sandbox registry has begun handling a request, from ASP.NET Core's http.server.active_requests.</summary>
internal sealed class ActiveRequests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ActiveRequests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.active_requests")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, change, _, _) =>
        {
            if (change > 0)
                _started.TrySetResult();
        });
        _listener.Start();
    }

    public Task StartedAsync() => _started.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Dispose() => _listener.Dispose();
}
