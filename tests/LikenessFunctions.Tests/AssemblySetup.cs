using Likeness.Testing;

[assembly: Parallelize(Workers = 0, Scope = ExecutionScope.ClassLevel)]

namespace LikenessFunctions.Tests;

[TestClass]
public static class AssemblySetup
{
    [AssemblyCleanup]
    public static Task DropTemplateAsync() => TestDatabase.DropTemplateAsync();
}
