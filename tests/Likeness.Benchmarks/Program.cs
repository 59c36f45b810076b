using Likeness.Benchmarks;

// Benchmarks against the local services (infra/local/dev.sh up). Usage:
//   dotnet run -c Release --project tests/Likeness.Benchmarks -- queue [events]
var cancellationToken = CancellationToken.None;
switch (args.FirstOrDefault())
{
    case "queue":
        var events = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5_000;
        Console.WriteLine($"Queue drain, {events} events, one per account");
        await QueueBenchmark.RunAsync(events, cancellationToken);
        break;
    default:
        Console.Error.WriteLine("usage: Likeness.Benchmarks queue [events]");
        return 2;
}
return 0;
