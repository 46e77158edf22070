using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>A checked line, ready to send. <see cref="IdGiven"/> is false when the RequestId was derived from the line's content.</summary>
public sealed record BatchRequest(int Line, DeleteTag Command, bool IdGiven)
{
    public Guid RequestId => Command.RequestId;

    public string Target => $"{Command.Registry}/{Command.Repository}:{Command.Tag}";

    public bool SameTargetAs(BatchRequest other) =>
        string.Equals(Command.Registry, other.Command.Registry, StringComparison.OrdinalIgnoreCase)
        && Command.Repository == other.Command.Repository
        && Command.Tag == other.Command.Tag;
}

/// <summary>A line that asks for what an earlier line already asks for (same RequestId, same target): sent once.</summary>
public sealed record BatchDuplicate(int Line, int FirstLine);
