namespace NewsApi.Api.Auth;

/// <summary>
/// Whether a request came with credentials, decided in one place: the authentication, the refusal of failed keys, the
/// cache (a keyed read is never shared), the standby routing and the audit of refused writes all ask the same question.
/// An Authorization header that is present but empty counts as sent: whoever sent it meant to be someone.
/// </summary>
internal static class Credentials
{
    public static bool CarriesKey(this HttpRequest request) => request.Headers.Authorization.Count > 0;
}
