using Microsoft.Extensions.Configuration;
using Quartz;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Worker.Configuration;
namespace RegistryCleaner.Worker.Reclaim;

/// <summary><c>Reclaim:*</c>: how long a deleted tag stays restorable, and when the space of what is past that is reclaimed.</summary>
public sealed class ReclaimOptions
{
    public const string Section = "Reclaim";
    public const string DefaultSchedule = "0 0 * * * ?";

    /// <summary>The grace window: a digest is reclaimed this long after its tag was deleted at the earliest. Zero: at once.</summary>
    public TimeSpan After { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Quartz cron of the scheduled reclaim; null when it runs only on demand (<c>Reclaim:Schedule=off</c>).</summary>
    public string? Schedule { get; init; } = DefaultSchedule;

    public static ReclaimOptions Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var errors = new List<string>();
        var after = TimeSpan.FromHours(24);
        if (section[nameof(After)] is { } text)
        {
            if (text.Trim() is "0" or "0s" or "0m" or "0h" or "0d")
                after = TimeSpan.Zero;
            else if (!Durations.TryParse(text, out after, out var error))
                errors.Add($"{Section}:{nameof(After)} {error} (durations as in retention: 24h, 7d, 2w, or 0 for at once).");
        }
        var schedule = section[nameof(Schedule)] ?? DefaultSchedule;
        if (schedule.Trim().Equals("off", StringComparison.OrdinalIgnoreCase) || schedule.Trim().Length == 0)
            schedule = null;
        else if (!CronExpression.TryParse(schedule, out _))
            errors.Add($"{Section}:{nameof(Schedule)} '{schedule}' is not a Quartz cron expression (seconds first, e.g. '{DefaultSchedule}' for hourly), nor 'off'.");
        return SectionBinding.Checked(new ReclaimOptions { After = after, Schedule = schedule }, Section, errors);
    }
}
