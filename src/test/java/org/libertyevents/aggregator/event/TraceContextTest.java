package org.libertyevents.aggregator.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The W3C Trace Context rules, against the recommendation's own examples and its list of what is invalid. */
class TraceContextTest {

    private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void aValidTraceparentIsKeptAsReceivedWithItsTracestate() {
        assertEquals(new TraceContext(PARENT, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"),
                TraceContext.of(PARENT, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));
        assertEquals(new TraceContext(PARENT, null), TraceContext.of(" " + PARENT + "\t", null));
        assertEquals(PARENT.replace("-01", "-00"), TraceContext.of(PARENT.replace("-01", "-00"), null).traceparent());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",          // no flags
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra", // version 00 has four fields
            "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",      // upper-case hex
            "00-00000000000000000000000000000000-b7ad6b7169203331-01",      // all-zero trace-id
            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",      // all-zero parent-id
            "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",      // version ff is forbidden
            "00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01",       // 31 hex digits
            "00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01",
            "0-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333g-01",
            "00-4bf92f"})
    void anInvalidTraceparentIsIgnoredAndItsTracestateWithIt(String traceparent) {
        assertNull(TraceContext.of(traceparent, "congo=t61rcWkgMzE"));
    }

    @Test
    void aLaterVersionIsReadAsFarAsVersion00DefinesIt() {
        String later = "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-comes-next";
        assertEquals(later, TraceContext.of(later, null).traceparent());
        assertNull(TraceContext.of("cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x", null));
    }

    @Test
    void anAbsentTraceparentIsNoTraceContext() {
        assertNull(TraceContext.of(null, "congo=t61rcWkgMzE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Congo=1",                    // keys are lower case
            "congo",                      // no value
            "congo=",                     // an empty value
            "congo=a,b",                  // every member is key=value
            "congo=a=b",                  // '=' is not a value character
            "1congo=x",                   // a simple key starts with a letter
            "tenant@System=x",            // nor may a system id hold upper case
            "congo=\u00e9"})              // printable ASCII only
    void anInvalidTracestateIsDroppedAndTheTraceparentKept(String tracestate) {
        assertEquals(new TraceContext(PARENT, null), TraceContext.of(PARENT, tracestate));
    }

    @Test
    void tracestateKeepsEmptyMembersMultiTenantKeysAndUpToThirtyTwoMembers() {
        String state = "rojo=00f067aa0ba902b7, ,fw529a3039@dt=x y,a*/_-=1";
        assertEquals(state, TraceContext.of(PARENT, state).tracestate());
        StringBuilder members = new StringBuilder("k0=v");
        for (int i = 1; i < 32; i++) {
            members.append(",k").append(i).append("=v");
        }
        assertEquals(members.toString(), TraceContext.of(PARENT, members.toString()).tracestate());
        assertNull(TraceContext.of(PARENT, members + ",k32=v").tracestate(), "33 members");
        assertNull(TraceContext.of(PARENT, "k=" + "v".repeat(511)).tracestate(), "longer than 512 characters");
        assertNull(TraceContext.of(PARENT, " , ").tracestate(), "no member at all");
    }
}
