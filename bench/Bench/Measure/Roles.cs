namespace RegistryCleaner.Bench.Measure;

/// <summary>The processes whose CPU time a run accounts for.</summary>
public static class Roles
{
    public const string Bench = "bench process";
    public const string Worker = "worker";
    public const string Consumer = "no-op consumer";
    public const string RabbitMq = "RabbitMQ";
    public const string Registry = "docker-registry";

    public static readonly string[] All = [Bench, Worker, Consumer, RabbitMq, Registry];
}
