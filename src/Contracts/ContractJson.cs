using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RegistryCleaner.Contracts;

/// <summary>
/// The plain JSON of the contracts, as published on <see cref="EventsExchange"/> and described in <c>schemas/</c>:
/// camelCase names, enums by name, null values written out, times in ISO 8601, durations as <c>[d.]hh:mm:ss[.fffffff]</c>.
/// </summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters = { new JsonStringEnumConverter() },
        };
        options.MakeReadOnly();
        return options;
    }
}
