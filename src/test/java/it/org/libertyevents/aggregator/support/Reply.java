package it.org.libertyevents.aggregator.support;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.http.HttpHeaders;

/** An HTTP answer with its JSON body parsed. */
public record Reply(int status, HttpHeaders headers, JsonValue body) {

    public JsonObject json() {
        return body.asJsonObject();
    }

    public JsonArray array(String member) {
        return json().getJsonArray(member);
    }

    public String contentType() {
        return headers.firstValue("Content-Type").orElse("");
    }

    /** Status and the start of the body, for assertion messages. */
    public String brief() {
        String text = String.valueOf(body);
        return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
}
