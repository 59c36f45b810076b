using System.Net;
using LocalFunctionsHost.Tests.Support;

namespace LocalFunctionsHost.Tests;

/// <summary>Keys given as ?code= travel in URLs that the host and the worker log; none may show.</summary>
[TestClass]
public sealed class LogRedactionTests
{
    [TestMethod]
    public async Task CodeValuesAndKeysNeverAppearInTheHostOutput()
    {
        const string FunctionKey = "fkey-0c1d2e3f";
        const string MasterKey = "mkey-4a5b6c7d";
        const string WrongCode = "wrong-8e9f0a1b";
        var host = await HostProcess.StartAsync(["--no-timers", "--function-key", FunctionKey, "--master-key", MasterKey]);
        await using (host)
        {
            using (var right = await host.Client.GetAsync($"api/secret?code={FunctionKey}&x=1"))
            using (var wrong = await host.Client.GetAsync($"api/secret?code={WrongCode}"))
            using (var anonymous = await host.Client.GetAsync($"api/echo/5?q=1&code={WrongCode}"))
            using (var master = await host.Client.GetAsync($"api/admin-only?code={MasterKey}"))
            {
                Assert.AreEqual(HttpStatusCode.OK, right.StatusCode);
                Assert.AreEqual(HttpStatusCode.Unauthorized, wrong.StatusCode);
                Assert.AreEqual(HttpStatusCode.OK, anonymous.StatusCode);
                Assert.AreEqual(HttpStatusCode.OK, master.StatusCode);
            }

            // Stopping drains the worker's output too, so the whole record is there to search.
            host.SendSigterm();
            Assert.AreEqual(0, await host.WaitForExitAsync());

            var output = host.Output;
            foreach (var secret in (string[])[FunctionKey, MasterKey, WrongCode])
            {
                Assert.DoesNotContain(secret, output);
            }

            StringAssert.Contains(output, "[http] GET /api/secret?code=REDACTED&x=1 200");
            StringAssert.Contains(output, "[http] GET /api/secret?code=REDACTED 401");
            StringAssert.Contains(output, "[http] GET /api/echo/5?q=REDACTED&code=REDACTED 200");
        }
    }
}
