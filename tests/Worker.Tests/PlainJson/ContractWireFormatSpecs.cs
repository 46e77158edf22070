using System.Collections;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using RegistryCleaner.Contracts;
using Xunit;

namespace RegistryCleaner.Worker.Tests.PlainJson;

/// <summary>
/// The wire format of every contract, as any AMQP client in any language sees it: the plain JSON (<see cref="ContractJson"/>),
/// the JSON inside MassTransit's envelope, what an empty object reads as (the defaults), the envelope's <c>messageType</c>
/// URNs, and the exchanges a publish declares. A property that moves, is renamed, changes its default or its type's
/// place in the type hierarchy fails here. The expected text, byte for byte, is in <c>contract-wire-format.json</c>, recorded
/// from the contracts as released.
/// </summary>
public sealed class ContractWireFormatSpecs
{
    private static readonly JsonElement Recorded =
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "PlainJson", "contract-wire-format.json"))).RootElement;

    /// <summary>MassTransit's own options, written without indentation (a serializer setting, not a property of a contract).</summary>
    private static readonly JsonSerializerOptions MassTransitJson = new(SystemTextJsonMessageSerializer.Options) { WriteIndented = false };

    public static TheoryData<string> Contracts() => [.. Recorded.EnumerateObject().Select(c => c.Name)];

    [Fact]
    public void Every_contract_has_its_wire_format_recorded()
    {
        var contracts = typeof(DeleteTag).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetProperties().Length > 0)
            .Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(contracts, Recorded.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void A_fully_populated_contract_is_written_as_before(string contract)
    {
        var instance = FullyPopulated(TypeOf(contract));
        Assert.Equal(Text(contract, "plain"), JsonSerializer.Serialize(instance, instance.GetType(), ContractJson.Options));
        Assert.Equal(Text(contract, "massTransit"), JsonSerializer.Serialize(instance, instance.GetType(), MassTransitJson));
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void What_was_written_reads_back_the_same(string contract)
    {
        var type = TypeOf(contract);
        var plain = Text(contract, "plain");
        Assert.Equal(plain, JsonSerializer.Serialize(JsonSerializer.Deserialize(plain, type, ContractJson.Options), type, ContractJson.Options));
        var enveloped = Text(contract, "massTransit");
        Assert.Equal(enveloped, JsonSerializer.Serialize(JsonSerializer.Deserialize(enveloped, type, MassTransitJson), type, MassTransitJson));
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Missing_fields_take_the_same_defaults(string contract)
    {
        var type = TypeOf(contract);
        Assert.Equal(Text(contract, "empty"), JsonSerializer.Serialize(JsonSerializer.Deserialize("{}", type, ContractJson.Options), type, ContractJson.Options));
        Assert.Equal(Text(contract, "empty"), JsonSerializer.Serialize(JsonSerializer.Deserialize("{}", type, MassTransitJson), type, ContractJson.Options));
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void The_envelope_names_the_same_message_types(string contract)
    {
        var names = (string[])typeof(MessageTypeCache<>).MakeGenericType(TypeOf(contract))
            .GetProperty(nameof(MessageTypeCache<object>.MessageTypeNames))!.GetValue(null)!;
        Assert.Equal(Strings(contract, "messageTypes"), names);
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Publishing_declares_the_same_exchanges(string contract)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri("rabbitmq://localhost/")));
        var topology = (IRabbitMqPublishTopology)bus.Topology.PublishTopology;
        typeof(IRabbitMqPublishTopology).GetMethod(nameof(IRabbitMqPublishTopology.GetMessageTopology))!
            .MakeGenericMethod(TypeOf(contract)).Invoke(topology, null);
        var broker = topology.GetPublishBrokerTopology();
        var declared = broker.Exchanges.Select(e => $"{e.ExchangeName} ({e.ExchangeType})")
            .Concat(broker.ExchangeBindings.Select(b => $"{b.Source.ExchangeName} -> {b.Destination.ExchangeName}"));
        Assert.Equal(Strings(contract, "exchanges"), declared);
    }

    /// <summary>The recorded JSON exactly as it stands in the file.</summary>
    private static string Text(string contract, string form) => Recorded.GetProperty(contract).GetProperty(form).GetRawText();

    private static string[] Strings(string contract, string form) =>
        [.. Recorded.GetProperty(contract).GetProperty(form).EnumerateArray().Select(e => e.GetString()!)];

    private static Type TypeOf(string contract) => typeof(DeleteTag).Assembly.GetType($"{typeof(DeleteTag).Namespace}.{contract}", throwOnError: true)!;

    /// <summary>Every property set to a value derived from its name alone, so the values do not depend on the order properties are found in.</summary>
    private static object FullyPopulated(Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            property.SetValue(instance, ValueFor(property.Name, property.PropertyType));
        return instance;
    }

    private static object ValueFor(string name, Type type)
    {
        var seed = name.Aggregate(7, (hash, c) => unchecked(hash * 31 + c)) & 0x7fff;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return $"{char.ToLowerInvariant(name[0])}{name[1..]}-value";
        if (type == typeof(Guid))
            return new Guid(seed, 0x1111, 0x2222, [1, 2, 3, 4, 5, 6, 7, (byte)(seed % 251)]);
        if (type == typeof(int))
            return seed;
        if (type == typeof(long))
            return seed * 1_000_003L;
        if (type == typeof(bool))
            return true;
        if (type == typeof(TimeSpan))
            return TimeSpan.FromMilliseconds(seed * 1_234.5);
        if (type == typeof(DateTimeOffset))
            return new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(1)).AddMinutes(seed);
        if (type.IsEnum)
            return Enum.GetValues(type).GetValue(seed % Enum.GetValues(type).Length)!;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(element == typeof(string) ? ValueFor(name, element) : FullyPopulated(element));
            return list;
        }
        throw new InvalidOperationException($"No sample value for {name} of type {type}: add one here.");
    }
}
