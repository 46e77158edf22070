namespace RegistryCleaner.Contracts;

/// <summary>What a retention run decided for one repository.</summary>
public record RepositoryPlan
{
    public string Repository { get; init; } = "";
    public int Scanned { get; init; }
    public int Kept { get; init; }
    public int Protected { get; init; }

    /// <summary>Tags whose age could not be established: never deleted by retention.</summary>
    public int Undated { get; init; }

    public int ToDelete { get; init; }
    /// <summary>Newest first (equal times by name).</summary>
    public IReadOnlyList<CondemnedTag> Condemned { get; init; } = [];
}
