using System.Net;
using System.Text;
using RegistryCleaner.Worker.Registries.Huawei;
using RegistryCleaner.Worker.Registries.Ncr;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>Only the API's own 404 means "already gone"; a gateway route error or a page without an error body does not.</summary>
public sealed class ErrorBodySpecs
{
    [Theory]
    [InlineData("""{"errorCode":"SVCSTG.SWR.4040002","errorMessage":"Image tag not found"}""", true)]
    [InlineData("""{"error_code":"SVCSTG.SWR.4040001","error_msg":"Repository not found"}""", true)]
    [InlineData("""{"error":{"code":"IMG.0144","message":"The tag key does not exist"}}""", true)]
    [InlineData("""{"error_code":"APIGW.0101","error_msg":"The API does not exist"}""", false)]
    [InlineData("<html><body>Not Found</body></html>", false)]
    [InlineData("", false)]
    [InlineData("""{"message":"no code"}""", false)]
    public async Task A_huawei_404_is_absent_only_with_a_service_error(string body, bool absent)
    {
        using var response = NotFound(body);

        var error = await HuaweiError.ReadAsync(response, CancellationToken.None);

        Assert.Equal(absent, HuaweiAnswers.IsApiNotFound(response, error));
    }

    [Theory]
    [InlineData("""{"errors":[{"code":"NOT_FOUND","message":"tag not found"}]}""", true)]
    [InlineData("""{"error":{"errorCode":"300","message":"Not Found","details":"No matching API found."}}""", false)]
    [InlineData("<html>Not Found</html>", false)]
    [InlineData("", false)]
    public async Task An_ncr_404_is_absent_only_with_the_registry_apis_error(string body, bool absent)
    {
        using var response = NotFound(body);

        var error = await NcrError.ReadAsync(response, CancellationToken.None);

        Assert.Equal(absent, NcrAnswers.IsApiNotFound(response, error));
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    public void Ncr_treats_409_as_transient_besides_the_usual_answers(HttpStatusCode status, bool transient)
    {
        using var response = new HttpResponseMessage(status);

        Assert.Equal(transient, NcrAnswers.IsTransient(response));
    }

    private static HttpResponseMessage NotFound(string body) => new(HttpStatusCode.NotFound)
    {
        Content = new StringContent(body, Encoding.UTF8, body.StartsWith('<') ? "text/html" : "application/json"),
    };
}
