using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>Sends a batch's commands with several in flight at once; each counts as sent once the broker has confirmed it.</summary>
public static class BatchSender
{
    private const int InFlight = 32;

    public static Task SendAsync(PublisherBus bus, IReadOnlyList<BatchRequest> requests, Action<BatchRequest> confirmed, CancellationToken ct) =>
        Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct }, async (request, token) =>
        {
            await bus.SendAsync(QueueNames.DeleteTag, request.Command, token);
            confirmed(request);
        });
}
