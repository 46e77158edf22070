namespace RegistryCleaner.Common.Messaging;

/// <summary>Headers the worker's poison guard writes on a message it moves to <c>_error</c>; a re-drive removes them.</summary>
public static class PoisonHeaders
{
    public const string Reason = "RC-Poison-Reason";
}
