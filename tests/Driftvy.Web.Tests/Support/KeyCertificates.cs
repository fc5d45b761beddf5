using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Driftvy.Web.Tests.Support;

/// <summary>Certificates that encrypt the Data Protection keys, as production configures them (<c>Security:KeyEncryptionCertificate</c>).</summary>
public static class KeyCertificates
{
    /// <summary>A self-signed RSA certificate with its private key, as a .pfx protected by <paramref name="password"/> in the folder.</summary>
    public static string Write(string folder, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Driftvy key encryption (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(folder, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
