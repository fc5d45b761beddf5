using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Security;

internal sealed record SignInRequest(string Username, string Password);

internal sealed record NewUserRequest(string Username, string Password, string Role);

internal sealed record RoleChange(string Role);

internal sealed record PasswordChange(string Password);

/// <summary>
/// Authentication (cookie sign-in, JWT from an external identity provider, display tokens, API keys),
/// role policies, antiforgery on cookie-authenticated state changes, security headers, rate limits,
/// body-size limits and problem responses without stack traces.
/// </summary>
internal static class SecurityServices
{
    public const string SignInLimiter = "sign-in";
    public const string IngestLimiter = "ingest";
    private const string AnyScheme = "Driftvy";

    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName)
            .Validate(SecurityOptions.IsValid, "Security: LockoutAttempts 1–100, durations > 0, limits ≥ 1, MaxRequestBodyBytes ≥ 1024, BootstrapAdmin:Password ≥ 12 characters, KnownProxies IP addresses.")
            .Validate(SecurityOptions.KeysProtected,
                "Security:KeyEncryptionCertificate: with Security:AnonymousRead=false (production) the Data Protection keys in the database must be encrypted: " +
                "set Security:KeyEncryptionCertificate (a .pfx file) and Security:KeyEncryptionCertificatePassword, or Security:AllowUnencryptedKeys=true to keep them unencrypted.")
            .ValidateOnStart();
        var security = builder.Configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<SessionCheck>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService<BootstrapAdmin>();
        builder.Services.AddProblemDetails();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = security.MaxRequestBodyBytes);

        var auth = builder.Services.AddAuthentication(AnyScheme)
            .AddPolicyScheme(AnyScheme, AnyScheme, o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(Schemes.Cookie, o =>
            {
                o.Cookie.Name = "driftvy.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = security.SessionLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                // An API caller gets a status code, not a redirect to a sign-in page.
                o.Events.OnRedirectToLogin = ctx => Deny(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => Deny(ctx, StatusCodes.Status403Forbidden);
                // Every request asks whether the session still holds: disabled, role or password changed, signed out
                // (on any instance: the stamp is in the shared database), or older than the absolute lifetime.
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, DisplayTokenHandler>(Schemes.DisplayToken, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Schemes.ApiKey, null);
        if (!string.IsNullOrEmpty(security.Jwt.Authority))
        {
            auth.AddJwtBearer(Schemes.Bearer, o =>
            {
                o.Authority = security.Jwt.Authority;
                o.Audience = security.Jwt.Audience;
                o.MapInboundClaims = false;
                o.Events = new JwtBearerEvents { OnTokenValidated = ctx => MapGroups(ctx, security.Jwt) };
            });
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Viewer, p => p.AddRequirements(new ReadRequirement()))
            .AddPolicy(Policies.TeamLeader, p => p.RequireRole(Roles.TeamLeader, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Ingest, p => p.AddAuthenticationSchemes(Schemes.ApiKey).RequireClaim(Schemes.SourceClaim))
            .AddPolicy(Policies.ViewBoards, p => p.AddRequirements(new ViewBoardsRequirement()));
        builder.Services.AddSingleton<IAuthorizationHandler, ViewBoardsHandler>();
        builder.Services.AddSingleton<IAuthorizationHandler, ReadHandler>();
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = "X-CSRF-TOKEN";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies, not the framework's loopback default: a header is believed from them alone.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in security.KnownProxies)
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInLimiter, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = security.SignInPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(IngestLimiter, ctx => RateLimitPartition.GetFixedWindowLimiter(
                IngestPartition(ctx),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = security.IngestPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return builder;
    }

    /// <summary>First in the pipeline: problem responses without stack traces, and security headers on every response.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        // Clients get RFC 7807 problem details with no exception text or stack trace, in every environment.
        // Before anything reads the scheme or the client address (cookies' Secure flag, HSTS, rate limits, lockout).
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        // A request the server refused while reading it (a body over its limit, however its length was declared, or a
        // malformed one) is the caller's error with the server's own status (413, 400), not a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.Use(SecurityHeaders);
        return app;
    }

    /// <summary>After the static files: authentication, antiforgery, authorization, rate limits.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(ValidateAntiforgery);
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapSecurity(this WebApplication app)
    {
        var login = app.Environment.WebRootFileProvider.GetFileInfo("login.html");
        app.MapGet("/login", () => login.PhysicalPath is { } path ? Results.File(path, "text/html; charset=utf-8") : Results.NotFound()).AllowAnonymous();

        var auth = app.MapGroup("/auth");
        auth.MapGet("/antiforgery", (IAntiforgery antiforgery, HttpContext ctx) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(ctx);
            return Results.Ok(new AntiforgeryToken(tokens.RequestToken, "X-CSRF-TOKEN"));
        }).AllowAnonymous();
        auth.MapPost("/login", SignInAsync).AllowAnonymous().RequireRateLimiting(SignInLimiter).DisableAntiforgery();
        auth.MapPost("/logout", async (HttpContext ctx, UserStore users, ILiveSessions live, CancellationToken ct) =>
        {
            // Deleting the cookie in this browser is not enough: a copy of it would still work. The new stamp ends
            // every session of the account, here and on every instance.
            if (ctx.User.Identity?.AuthenticationType == Schemes.Cookie && AccountOf(ctx.User) is { } id)
            {
                await users.EndSessionsAsync(id, ct);
                await live.EndUserAsync(id);
            }

            await ctx.SignOutAsync(Schemes.Cookie);
            return Results.NoContent();
        }).RequireAuthorization();
        // Open to all, so a page can ask who is signed in without provoking a 401 in the browser console.
        auth.MapGet("/me", (ClaimsPrincipal user) => new CurrentUser(
            user.Identity?.IsAuthenticated == true ? user.Identity.Name : null,
            user.FindAll(ClaimTypes.Role).Select(c => c.Value),
            user.FindFirst(Schemes.BoardClaim)?.Value)).AllowAnonymous();

        var admin = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin);
        admin.MapGet("/users", async (UserStore users, CancellationToken ct) =>
            (await users.ListAsync(ct)).Select(u => new UserListItem(u.Id, u.Username, u.Role, u.Disabled, u.LockedUntilMs is not null)));
        admin.MapPost("/users", async (NewUserRequest request, UserStore users, AuditLog audit, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            try
            {
                var user = await users.CreateAsync(request.Username, request.Password, request.Role, ct);
                await audit.RecordAsync(actor.Identity!.Name!, "create", "user", user.Username, null, new { user.Username, user.Role }, ct);
                return Results.Created($"/api/admin/users/{user.Id}", new CreatedUser(user.Id, user.Username, user.Role));
            }
            catch (ArgumentException ex)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { [ex.ParamName ?? "user"] = [ex.Message.Split(" (Parameter", 2)[0]] });
            }
        });
        admin.MapPut("/users/{id:long}/password", async (long id, PasswordChange change, UserStore users, ILiveSessions live, AuditLog audit, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            try
            {
                if (await users.SetPasswordAsync(id, change.Password, ct) is not { } username)
                {
                    return Results.NotFound();
                }

                await live.EndUserAsync(id);
                await audit.RecordAsync(actor.Identity!.Name!, "update", "user.password", username, null, null, ct);
                return Results.NoContent();
            }
            catch (ArgumentException ex)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [ex.Message.Split(" (Parameter", 2)[0]] });
            }
        });
        admin.MapPut("/users/{id:long}/role", async (long id, RoleChange change, UserStore users, ILiveSessions live, AuditLog audit, ClaimsPrincipal actor, CancellationToken ct) =>
        {
            if (!Roles.IsValid(change.Role))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["viewer, teamleader or admin"] });
            }

            var old = await users.SetRoleAsync(id, change.Role, ct);
            if (old is null)
            {
                return Results.NotFound();
            }

            await live.EndUserAsync(id);

            await audit.RecordAsync(actor.Identity!.Name!, "update", "user.role", old.Value.Username, new { Role = old.Value.Role }, new { change.Role }, ct);
            return Results.NoContent();
        });
        admin.MapGet("/audit", async (AuditLog audit, int? take, CancellationToken ct) => await audit.ListAsync(take ?? 500, ct));
        return app;
    }

    private static async Task<IResult> SignInAsync(SignInRequest request, UserStore users, SignInThrottle throttle, AuditLog audit, HttpContext ctx, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["username"] = ["user name and password are required"] });
        }

        var address = ctx.Connection.RemoteIpAddress;
        // Held back per name and address, known names and unknown alike: the same answer either way, and only
        // the guesser's own address waits.
        if (throttle.RefusedFor(request.Username, address) is { } wait)
        {
            await audit.RecordAsync("sign-in", "sign-in-refused", "user", request.Username.Length > 128 ? request.Username[..128] : request.Username, null, new { Reason = "too many failures from this address", Address = address?.ToString() }, ct);
            ctx.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem("Too many failed sign-ins from this address. Try again later.", statusCode: StatusCodes.Status429TooManyRequests);
        }

        var (_, user) = await users.VerifyAsync(request.Username, request.Password, ct);
        if (user is null)
        {
            throttle.Failed(request.Username, address);
            return Results.Problem("Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(request.Username, address);

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.Username),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim("driftvy:scope", user.Scope),
            new Claim(SessionCheck.StampClaim, user.SecurityStamp),
            new Claim(SessionCheck.SignedInClaim, ctx.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], Schemes.Cookie);
        await ctx.SignInAsync(Schemes.Cookie, new ClaimsPrincipal(identity));
        return Results.Ok(new SignedIn(user.Username, user.Role));
    }

    private static string SelectScheme(HttpContext ctx)
    {
        var auth = ctx.Request.Headers.Authorization.FirstOrDefault();
        if (auth is not null && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
            ctx.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.Jwt.Authority.Length > 0)
        {
            return Schemes.Bearer;
        }

        if (ApiKeyHandler.KeyOf(ctx.Request) is not null)
        {
            return Schemes.ApiKey;
        }

        return DisplayTokenHandler.TokenOf(ctx.Request) is not null ? Schemes.DisplayToken : Schemes.Cookie;
    }

    private static Task MapGroups(TokenValidatedContext ctx, JwtOptions jwt)
    {
        if (ctx.Principal?.Identity is ClaimsIdentity identity)
        {
            AddGroupRoles(identity, jwt);
        }

        return Task.CompletedTask;
    }

    /// <summary>Adds a role claim for every group the identity provider says the user is in and the map knows.</summary>
    internal static void AddGroupRoles(ClaimsIdentity identity, JwtOptions jwt)
    {
        foreach (var group in identity.FindAll(jwt.GroupClaim).Select(c => c.Value).ToList())
        {
            if (jwt.GroupRoles.TryGetValue(group, out var role) && Roles.IsValid(role) && !identity.HasClaim(ClaimTypes.Role, role))
            {
                identity.AddClaim(new Claim(ClaimTypes.Role, role));
            }
        }
    }

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext ctx)
    {
        var sessions = ctx.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
        if (!await sessions.IsCurrentAsync(ctx.Principal, ctx.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Schemes.Cookie).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A valid key is limited as itself, however it was presented (X-Api-Key, Authorization: ApiKey or Bearer);
    /// a missing, unknown or revoked key is limited by the caller's address, so made-up keys do not each get a
    /// fresh allowance.
    /// </summary>
    internal static string IngestPartition(HttpContext ctx) =>
        ctx.User.Identity is { IsAuthenticated: true, AuthenticationType: Schemes.ApiKey } && ApiKeyHandler.KeyOf(ctx.Request) is { } key
            ? "key:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))
            : "address:" + (ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    internal static long? AccountOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(ClaimTypes.NameIdentifier)?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static Task SecurityHeaders(HttpContext ctx, Func<Task> next)
    {
        AddSecurityHeaders(ctx, replace: true);
        // An error answer is written after the response was cleared (the exception handler drops every header set so
        // far): whatever is missing when the answer starts is added again, so no answer goes out without them.
        ctx.Response.OnStarting(() =>
        {
            AddSecurityHeaders(ctx, replace: false);
            return Task.CompletedTask;
        });
        return next();
    }

    private static void AddSecurityHeaders(HttpContext ctx, bool replace)
    {
        var h = ctx.Response.Headers;
        void Set(string name, string value)
        {
            if (replace || !h.ContainsKey(name))
            {
                h[name] = value;
            }
        }

        // No inline script or style anywhere: the pages load only their own files.
        Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
                                       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
        Set("X-Content-Type-Options", "nosniff");
        Set("X-Frame-Options", "DENY");
        Set("Referrer-Policy", "no-referrer");
        Set("Cross-Origin-Opener-Policy", "same-origin");
        if (ctx.Request.IsHttps)
        {
            Set("Strict-Transport-Security", "max-age=31536000");
        }

        // Answers with data are for the one who asked: no shared or browser cache keeps them.
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/auth") ||
            ctx.Request.Path.StartsWithSegments("/health") || ctx.Request.Path.StartsWithSegments("/hubs"))
        {
            Set("Cache-Control", "no-store");
        }
    }

    /// <summary>State changes by a cookie-signed-in browser must carry the antiforgery header.</summary>
    private static async Task ValidateAntiforgery(HttpContext ctx, Func<Task> next)
    {
        var unsafeMethod = !HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method) && !HttpMethods.IsOptions(ctx.Request.Method);
        var byCookie = ctx.User.Identity is { IsAuthenticated: true, AuthenticationType: Schemes.Cookie };
        // An endpoint may opt out only by saying so (the hub: see MapDashboard); everything else is checked.
        var exempt = ctx.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false };
        if (unsafeMethod && byCookie && !exempt)
        {
            var antiforgery = ctx.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(ctx).ConfigureAwait(false))
            {
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                // A code, so a page can tell an expired form from any other refusal without reading the sentence.
                await ctx.Response.WriteAsJsonAsync(new { title = "Missing or invalid antiforgery token (X-CSRF-TOKEN).", code = "antiforgery" }).ConfigureAwait(false);
                return;
            }
        }

        await next().ConfigureAwait(false);
    }
}

/// <summary>Boards are for signed-in roles and display tokens (and everyone, while <c>Security:AnonymousRead</c> is on).</summary>
internal sealed class ViewBoardsRequirement : IAuthorizationRequirement;

internal sealed class ViewBoardsHandler(IOptionsMonitor<SecurityOptions> options) : AuthorizationHandler<ViewBoardsRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ViewBoardsRequirement requirement)
    {
        var user = context.User;
        if (options.CurrentValue.AnonymousRead || user.HasClaim(c => c.Type == Schemes.BoardClaim) ||
            Roles.All.Any(user.IsInRole))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Reading (steering view, reports, KPIs): any signed-in role, and everyone while <c>Security:AnonymousRead</c> is on. A display token or API key is not enough.</summary>
internal sealed class ReadRequirement : IAuthorizationRequirement;

internal sealed class ReadHandler(IOptionsMonitor<SecurityOptions> options) : AuthorizationHandler<ReadRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadRequirement requirement)
    {
        var user = context.User;
        var anonymous = user.Identity?.IsAuthenticated != true;
        if ((anonymous && options.CurrentValue.AnonymousRead) || Roles.All.Any(user.IsInRole))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Creates the first administrator from <c>Security:BootstrapAdmin</c> when there is no user yet.</summary>
internal sealed class BootstrapAdmin(UserStore users, AuditLog audit, IOptions<SecurityOptions> options, ILogger<BootstrapAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var admin = options.Value.BootstrapAdmin;
        if (string.IsNullOrEmpty(admin.Username))
        {
            logger.LogWarning("No user exists. Create the first admin with Security__BootstrapAdmin__Username and Security__BootstrapAdmin__Password (≥ 12 characters) in the environment, or `user add`.");
            return;
        }

        await users.CreateAsync(admin.Username, admin.Password, Roles.Admin, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync("system", "create", "user", admin.Username, null, new { admin.Username, Role = Roles.Admin }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Created the first admin '{User}'", admin.Username);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
