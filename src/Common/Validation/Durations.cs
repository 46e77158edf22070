using System.Globalization;
using System.Text.RegularExpressions;

namespace RegistryCleaner.Common.Validation;

/// <summary>Reads <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>2w</c> or a .NET TimeSpan (<c>1.12:00:00</c>), refusing what would overflow.</summary>
public static partial class Durations
{
    /// <summary>A hundred years: anything longer is a typo (acr purge's <c>--ago 999999d</c> overflowed into "delete everything").</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(36_500);

    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }
        var match = Short().Match(text.Trim());
        if (match.Success)
        {
            if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                error = $"'{text}' is too large";
                return false;
            }
            var days = match.Groups[2].Value switch
            {
                "w" => amount * 7m,
                "d" => amount,
                "h" => amount / 24m,
                "m" => amount / 1440m,
                _ => amount / 86400m,
            };
            if (days > (decimal)Longest.TotalDays)
            {
                error = $"'{text}' is longer than {Longest.TotalDays:F0} days";
                return false;
            }
            duration = TimeSpan.FromDays((double)days);
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
        {
            error = $"'{text}' is neither a duration like 30d, 12h, 90m, 2w nor a TimeSpan like 1.12:00:00";
            return false;
        }
        if (duration <= TimeSpan.Zero || duration > Longest)
        {
            error = $"'{text}' must be more than zero and at most {Longest.TotalDays:F0} days";
            return false;
        }
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalDays >= 1 && duration.TotalDays == Math.Floor(duration.TotalDays) ? $"{duration.TotalDays:F0}d"
        : duration.TotalHours == Math.Floor(duration.TotalHours) ? $"{duration.TotalHours:F0}h"
        : duration.ToString("c", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\A(\d{1,12})([wdhms])\z")]
    private static partial Regex Short();
}
