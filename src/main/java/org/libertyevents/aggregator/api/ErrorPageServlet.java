package org.libertyevents.aggregator.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The web container's error page (see {@code web.xml}): errors raised outside JAX-RS, such as a request whose
 * headers cannot be parsed, get the same problem+json body as the API's own. The container's message is not
 * repeated, because it names server internals.
 */
@WebServlet(urlPatterns = "/error-page")
public class ErrorPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Asked for directly, this is no page at all.
        int status = code instanceof Integer value && value >= 400 ? value : 404;
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = switch (status) {
            case 400 -> "the request could not be read (check its headers and body)";
            case 404 -> "no resource at this path";
            default -> title;
        };
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        byte[] body = Problem.http(status, title, detail).toJson(uri instanceof String path ? path : null).toString()
                .getBytes(StandardCharsets.UTF_8);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
