using Driftvy.Web.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Cluster;

/// <summary>
/// One Data Protection key ring for every instance, kept in the shared database (<c>data_protection_keys</c>), under
/// one fixed application name: a sign-in cookie or antiforgery token issued by one instance is read by any other,
/// so a balancer may send a user's requests anywhere. The keys are stored as Data Protection writes them (not
/// encrypted at rest): whoever can read the database can forge cookies, as whoever can write it could already make
/// an admin.
/// </summary>
internal static class SharedKeyRing
{
    /// <summary>
    /// Fixed, because the default is the content root path, which differs between hosts and deployments and would
    /// keep instances from reading each other's cookies even with the keys shared.
    /// </summary>
    public const string ApplicationName = "Driftvy";

    public static WebApplicationBuilder AddSharedKeyRing(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<DriftvyDbContext>();
        return builder;
    }

    internal static void Configure(ModelBuilder modelBuilder)
    {
        var key = modelBuilder.Entity<DataProtectionKey>();
        key.ToTable("data_protection_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasColumnName("id").ValueGeneratedOnAdd();
        key.Property(k => k.FriendlyName).HasColumnName("friendly_name");
        key.Property(k => k.Xml).HasColumnName("xml");
    }
}
