namespace RegistryCleaner.Worker.Tests.Observability.Support;

/// <summary>Every piece of text the worker let out, each with where it came from, to search for secrets.</summary>
public sealed class Haystack
{
    private readonly List<(string Source, string Text)> _items = [];

    public int Count => _items.Count;

    public Haystack Add(string source, IEnumerable<string> texts)
    {
        _items.AddRange(texts.Select(t => (source, t)));
        return this;
    }

    /// <summary>Each place a needle occurs, as "source: text" with the text cut around the hit.</summary>
    public IReadOnlyList<string> Find(IEnumerable<string> needles) =>
        (from needle in needles
         from item in _items
         let at = item.Text.IndexOf(needle, StringComparison.Ordinal)
         where at >= 0
         select $"{item.Source}: …{item.Text.Substring(Math.Max(0, at - 80), Math.Min(item.Text.Length - Math.Max(0, at - 80), needle.Length + 160))}…").ToList();

    public IReadOnlyList<string> Matches(System.Text.RegularExpressions.Regex pattern) =>
        _items.Where(i => pattern.IsMatch(i.Text)).Select(i => $"{i.Source}: {pattern.Match(i.Text).Value}").ToList();
}
