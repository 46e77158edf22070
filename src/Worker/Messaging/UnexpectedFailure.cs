namespace RegistryCleaner.Worker.Messaging;

/// <summary>
/// A failure no registry answer or journal write is classified as (a body that could not be read, a bug): the command
/// still ends in its result event, as a deletion does (DeletionService). The event names the exception's type only: its
/// message may quote what the registry sent or hold a secret, so the message and stack go to the worker's log alone.
/// A stop of the worker (cancellation) is not one: it propagates, so that the message is redelivered.
/// </summary>
public static class UnexpectedFailure
{
    public static bool Is(Exception e, CancellationToken ct) => !ct.IsCancellationRequested && e is not OperationCanceledException;

    /// <summary>"The worker failed unexpectedly (InvalidDataException)", for an event or a journal row.</summary>
    public static string Describe(Exception e) => $"The worker failed unexpectedly ({e.GetType().Name})";
}
