using System.Text;
using RegistryCleaner.Common.Messaging;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Hostile;

public sealed class HeaderBoundsSpecs
{
    private static int TableBytes(IDictionary<string, object?> headers) =>
        headers.Sum(h => h.Key.Length + 8 + (h.Value is byte[] bytes ? bytes.Length : h.Value?.ToString()?.Length ?? 0));

    [Fact]
    public void Unknown_headers_are_left_out_and_the_worker_s_own_are_kept()
    {
        var headers = new Dictionary<string, object?>
        {
            ["X-Big"] = Encoding.UTF8.GetBytes(new string('x', 300_000)),
            ["CC"] = Encoding.UTF8.GetBytes("another-queue"),
            ["RC-Failure-Kind"] = Encoding.UTF8.GetBytes("Rejected"),
            ["MT-Fault-Message"] = Encoding.UTF8.GetBytes("Tag must follow the OCI grammar."),
            ["traceparent"] = Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            ["RC-Redrive-Count"] = 2,
        };

        HeaderBounds.Apply(headers);

        Assert.Equal(["MT-Fault-Message", "RC-Failure-Kind", "RC-Redrive-Count", "traceparent"], headers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, headers["RC-Redrive-Count"]);
        Assert.False(headers.ContainsKey(HeaderBounds.CutHeader));
    }

    [Fact]
    public void An_oversized_value_of_the_worker_s_own_is_cut_marked_and_named()
    {
        var headers = new Dictionary<string, object?> { ["RC-Redrive-Count"] = new string('7', 300_000) };

        HeaderBounds.Apply(headers);

        var value = Encoding.UTF8.GetString((byte[])headers["RC-Redrive-Count"]!);
        Assert.True(Encoding.UTF8.GetByteCount(value) <= HeaderBounds.MaxValueBytes);
        Assert.EndsWith("…[cut from 300000 bytes]", value);
        Assert.Contains("RC-Redrive-Count (cut from 300000 bytes)", Encoding.UTF8.GetString((byte[])headers[HeaderBounds.CutHeader]!));
    }

    [Fact]
    public void Many_allowed_headers_stay_under_the_table_bound_and_the_failure_is_kept_first()
    {
        var headers = Enumerable.Range(0, 200).ToDictionary(i => $"RC-Spread-{i:D3}", _ => (object?)Encoding.UTF8.GetBytes(new string('s', 2000)));
        headers["MT-Fault-Message"] = Encoding.UTF8.GetBytes("why it failed");

        HeaderBounds.Apply(headers);

        Assert.True(TableBytes(headers) <= HeaderBounds.MaxTableBytes, $"{TableBytes(headers)} bytes");
        Assert.Equal("why it failed", Encoding.UTF8.GetString((byte[])headers["MT-Fault-Message"]!));
        Assert.Contains("left out for room", Encoding.UTF8.GetString((byte[])headers[HeaderBounds.CutHeader]!));
    }

    [Fact]
    public void A_cut_never_splits_a_character()
    {
        var headers = new Dictionary<string, object?> { ["RC-Original-Publisher"] = string.Concat(Enumerable.Repeat("é😀", 5000)) };

        HeaderBounds.Apply(headers);

        var value = Encoding.UTF8.GetString((byte[])headers["RC-Original-Publisher"]!);
        Assert.DoesNotContain('\uFFFD', value);
        Assert.True(Encoding.UTF8.GetByteCount(value) <= HeaderBounds.MaxValueBytes);
    }
}
