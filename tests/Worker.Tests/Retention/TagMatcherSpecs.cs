using RegistryCleaner.Worker.Retention;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>The planner's shortcuts for common pattern shapes answer exactly as the anchored regular expression does.</summary>
public sealed class TagMatcherSpecs
{
    private static readonly string[] PatternsUnderTest =
        [".*", "latest", "keep-.*", @"v1\.2", @"v1\..*", @"v\d+\.\d+\.\d+", "dev|prod", "a.c", @"a\.*", "", "keep-.+", "x*", "(latest)",
         "^keep-", "^keep-.*", "^latest$", "-1$", @"^v1\.", "^", "$", @"\.2$", "^(?:dev|prod)", "[^a]bc", "(?:a|b)$", "keep\\$"];

    private static readonly string[] Values =
        ["", "latest", "latest\n", "latest2", "Latest", "keep-", "keep-1", "keep-1\n", "kee", "v1.2", "v1x2", "v1.2.3", "v1.2\n",
         "\n", "a\nb", "abc", "a.c", "a....", "dev", "prod", "x", "xx", "keep-\nx"];

    public static TheoryData<string> Patterns()
    {
        var data = new TheoryData<string>();
        foreach (var pattern in PatternsUnderTest)
            data.Add(pattern);
        return data;
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Answers_as_the_regular_expression_does(string pattern)
    {
        var regex = Worker.Retention.Patterns.Compile(pattern);
        var matcher = TagMatcher.For(regex);
        foreach (var value in Values)
            Assert.True(regex.IsMatch(value) == matcher.IsMatch(value), $"pattern '{pattern}', value '{value.Replace("\n", "\\n")}'");
    }

    [Fact]
    public void Generated_names_get_the_same_answers()
    {
        var random = new Random(7);
        const string alphabet = "ab.-_1\nkv";
        string[] shapes = [".*", "ab", "a-.*", @"k\.v.*", "b_1", @"\..*"];
        foreach (var pattern in shapes)
        {
            var regex = Worker.Retention.Patterns.Compile(pattern);
            var matcher = TagMatcher.For(regex);
            for (var i = 0; i < 5_000; i++)
            {
                var value = new string(Enumerable.Range(0, random.Next(0, 6)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
                Assert.True(regex.IsMatch(value) == matcher.IsMatch(value), $"pattern '{pattern}', value '{value.Replace("\n", "\\n")}'");
            }
        }
    }

    [Fact]
    public void A_regular_expression_not_in_the_anchored_form_is_always_asked()
    {
        var unanchored = new System.Text.RegularExpressions.Regex("abc");
        var caseless = new System.Text.RegularExpressions.Regex("^(?:abc)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

        Assert.True(TagMatcher.For(unanchored).IsMatch("xabcx"));
        Assert.True(TagMatcher.For(caseless).IsMatch("ABC"));
    }
}
