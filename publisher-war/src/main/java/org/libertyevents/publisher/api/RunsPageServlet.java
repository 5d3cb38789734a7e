package org.libertyevents.publisher.api;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The publisher's page at its context root ({@code /publisher/}): {@code index.html}, with its script, styles and
 * icon under {@code /publisher/page/}, starts runs and follows them through {@code /publisher/runs}. A servlet,
 * because the REST API's {@code @ApplicationPath("/")} is the servlet mapping {@code /*}, which would otherwise
 * catch these paths too; the exact mapping {@code ""} and the longer prefix {@code /page/*} win over it. Only the
 * files listed are served; {@link SecurityHeadersFilter} adds the Content-Security-Policy.
 */
@WebServlet(urlPatterns = {"", "/page/*"})
public class RunsPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Served path to content type; RFC 9239's type for scripts (Liberty's table says application/x-javascript). */
    private static final Map<String, String> FILES = Map.of(
            "/index.html", "text/html;charset=UTF-8",
            "/page/publisher.js", "text/javascript;charset=UTF-8",
            "/page/publisher.css", "text/css;charset=UTF-8",
            "/page/icon.svg", "image/svg+xml");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean page = request.getServletPath().isEmpty();
        // The page's links are relative to the context root with its slash (runs, not /runs).
        if (page && !request.getRequestURI().endsWith("/")) {
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        String path = page ? "/index.html" : request.getServletPath() + request.getPathInfo();
        String type = FILES.get(path);
        if (type == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType(type);
        response.setHeader("Cache-Control", "no-cache");
        try (InputStream file = getServletContext().getResourceAsStream(path)) {
            file.transferTo(response.getOutputStream());
        }
    }
}
