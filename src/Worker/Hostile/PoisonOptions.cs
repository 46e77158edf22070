namespace RegistryCleaner.Worker.Hostile;

public sealed class PoisonOptions
{
    public const string Section = "Poison";

    /// <summary>
    /// Times this worker may start handling one message that then never gets settled (its connection closed under it, or
    /// the handling failed so badly that not even the move to <c>_error</c> succeeded). At the next delivery it is moved aside.
    /// </summary>
    public int MaxHandlings { get; set; } = 3;

    /// <summary>
    /// Quorum queues only: a message whose <c>x-delivery-count</c> reaches this is moved aside, whichever worker had it before
    /// and whether or not it survived (a crash included). Keep it below the queue's <c>delivery-limit</c>.
    /// </summary>
    public int MaxDeliveries { get; set; } = 10;

    /// <summary>Unsettled messages remembered at once; the oldest is forgotten first.</summary>
    public int TrackedMessages { get; set; } = 10_000;
}
