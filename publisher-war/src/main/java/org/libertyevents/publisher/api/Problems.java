package org.libertyevents.publisher.api;

import jakarta.json.Json;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** RFC 9457 problem details as the publisher answers them: {@code application/problem+json}. */
final class Problems {

    static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    /** An answer ready to send, or to add headers to. */
    static Response.ResponseBuilder problem(int status, String title, List<String> errors) {
        String body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status)
                .add("detail", String.join("; ", errors))
                .add("errors", Json.createArrayBuilder(errors))
                .build()
                .toString();
        return Response.status(status).type(PROBLEM_JSON).entity(body);
    }
}
