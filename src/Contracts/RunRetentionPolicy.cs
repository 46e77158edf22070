namespace RegistryCleaner.Contracts;

/// <summary>Run one configured retention policy now: list, plan, report, then send one DeleteTag per condemned tag.</summary>
public record RunRetentionPolicy
{
    public Guid RunId { get; init; }
    public string Policy { get; init; } = "";

    /// <summary>Plan and report only. A policy configured as a dry run stays one whatever the command says.</summary>
    public bool DryRun { get; init; }

    public string? RequestedBy { get; init; }
}
