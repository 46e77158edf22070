namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>Where the services started by scripts/test.sh listen. Missing settings fail loudly: these tests never skip.</summary>
public static class TestServices
{
    public static string RabbitMqUri => Required("RC_TEST_RABBITMQ_URI");
    public static Uri OciRegistry => new(Required("RC_TEST_OCI_URL"));
    public static Uri OciRegistryWithoutDelete => new(Required("RC_TEST_OCI_NODELETE_URL"));

    private static string Required(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the integration tests through scripts/test.sh, which starts RabbitMQ and the registries.");

    public static string UniqueRepository(string prefix) => $"it/{prefix}-{Guid.NewGuid().ToString("N")[..12]}";
}
