package org.libertyevents.aggregator.ui;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;

/**
 * Serves the dashboard: its page at the context root and its scripts and styles under {@code /ui/}, from
 * {@code src/main/webapp/ui}.
 *
 * <p>Why a servlet: the REST API is mapped at {@code @ApplicationPath("/")}, which Liberty registers as the servlet
 * mapping {@code /*}, and that prefix mapping catches every path, so the web container's static file handling (and
 * its welcome file) never sees {@code /index.html}: Liberty answers 404 from JAX-RS. An exact mapping ({@code ""}, the
 * context root) and a longer prefix ({@code /ui/*}) win over {@code /*} by the Servlet specification's matching
 * rules, so this servlet takes just those paths and the API keeps its URLs. Being outside JAX-RS, the page is not
 * behind the API key filter (it holds no data; the script sends the key with its API calls) and does not appear in
 * the OpenAPI document.
 */
@WebServlet(urlPatterns = {"", "/ui/*"})
public class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String ROOT = "/ui";
    /** Only what the page needs, from this origin: no CDN, no inline script. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        URL file = file(request);
        if (file == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String name = file.getPath();
        // RFC 9239's type for scripts; Liberty's table still says application/x-javascript.
        response.setContentType(name.endsWith(".js") ? "text/javascript" : getServletContext().getMimeType(name));
        response.setCharacterEncoding("UTF-8");
        // Revalidated on each load (answered 304 by getLastModified), so a new version shows at once.
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        try (InputStream in = file.openStream()) {
            in.transferTo(response.getOutputStream());
        }
    }

    @Override
    protected long getLastModified(HttpServletRequest request) {
        URL file = file(request);
        if (file == null) {
            return -1;
        }
        try {
            return file.openConnection().getLastModified() / 1000 * 1000;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The WAR's file for this request, or null; {@code ServletContext} resolves only paths inside the WAR. */
    private URL file(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (request.getServletPath().isEmpty()) {
            path = "/index.html";
        } else if (path == null || path.endsWith("/") || path.contains("..")) {
            return null;
        }
        try {
            return getServletContext().getResource(ROOT + path);
        } catch (MalformedURLException e) {
            return null;
        }
    }
}
