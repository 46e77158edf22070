using System.Text.Json;

namespace RegistryCleaner.Publisher.Tests;

/// <summary>A batch line is checked with the worker's own rules: what the worker accepts is sent, not refused beforehand.</summary>
public sealed class SharedRulesTests
{
    private const string ImageId = "0d5b2a7e-6c1f-4b8e-9a3d-2f1e0c9b8a7d";

    [Theory]
    [InlineData("legacy key!")]
    [InlineData(" legacy key! ")]
    [InlineData("release 2024 ")]
    public void An_IMS_key_with_spaces_which_the_worker_accepts_is_sent(string key)
    {
        var file = BatchFiles.Jsonl(JsonSerializer.Serialize(new { registry = "ims", repository = ImageId, tag = key }));

        Assert.Empty(file.Problems);
        Assert.Equal(key, Assert.Single(file.Requests).Command.Tag);
    }

    [Fact]
    public void A_tag_with_a_control_character_is_refused_in_the_worker_s_words()
    {
        var file = BatchFiles.Jsonl(JsonSerializer.Serialize(new { registry = "ims", repository = ImageId, tag = "legacy\nkey" }));

        Assert.Equal("tag contains a control character (such as NUL, CR or LF).", Assert.Single(file.Problems).Message);
    }
}
