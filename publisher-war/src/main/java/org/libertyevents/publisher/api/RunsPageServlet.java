package org.libertyevents.publisher.api;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * The publisher's page at its context root ({@code /publisher/}): one self-contained {@code index.html} that starts
 * runs and follows them through {@code /publisher/runs}. A servlet, because the REST API's
 * {@code @ApplicationPath("/")} is the servlet mapping {@code /*}, which would otherwise catch the context root
 * too; the exact mapping {@code ""} wins over it.
 */
@WebServlet(urlPatterns = "")
public class RunsPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The page's links are relative to the context root with its slash (runs, not /runs).
        if (!request.getRequestURI().endsWith("/")) {
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        try (InputStream page = getServletContext().getResourceAsStream("/index.html")) {
            page.transferTo(response.getOutputStream());
        }
    }
}
