package org.wikievents.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikievents.testing.Samples;

class EventParserTest {
  private final EventParser parser = new EventParser();

  private static final String EDIT_2026 =
      """
      {"$schema":"/mediawiki/recentchange/1.0.0","meta":{"uri":"https://en.wikipedia.org/wiki/X",\
      "request_id":"r","id":"500e90f8-36f3-4c1b-be8b-e8af2b55ccef","domain":"en.wikipedia.org",\
      "stream":"mediawiki.recentchange","dt":"2026-05-05T11:17:40.822Z","topic":"t","partition":0,\
      "offset":1},"id":142681634,"type":"edit","namespace":0,"title":"Ada Lovelace",\
      "comment":"typo","timestamp":1777979857,"user":"Alice","bot":false,"minor":true,\
      "patrolled":true,"length":{"old":100,"new":120},"revision":{"old":7,"new":8},\
      "server_name":"en.wikipedia.org","wiki":"enwiki","parsedcomment":"typo"}""";

  @Test
  void readsEveryFieldOfACurrentEvent() {
    WikiEvent e = accepted(EDIT_2026);

    assertThat(e.eventId()).hasToString("500e90f8-36f3-4c1b-be8b-e8af2b55ccef");
    assertThat(e.eventTimeMillis()).isEqualTo(1777979860822L);
    assertThat(e)
        .extracting(
            WikiEvent::wiki,
            WikiEvent::domain,
            WikiEvent::type,
            WikiEvent::namespace,
            WikiEvent::title,
            WikiEvent::user,
            WikiEvent::bot,
            WikiEvent::minor,
            WikiEvent::patrolled,
            WikiEvent::comment,
            WikiEvent::serverName,
            WikiEvent::rcId)
        .containsExactly(
            "enwiki",
            "en.wikipedia.org",
            "edit",
            0,
            "Ada Lovelace",
            "Alice",
            false,
            true,
            true,
            "typo",
            "en.wikipedia.org",
            142681634L);
    assertThat(List.of(e.lengthOld(), e.lengthNew(), e.revisionOld(), e.revisionNew()))
        .containsExactly(100L, 120L, 7L, 8L);
  }

  @Test
  void readsTheOlderSchemaWithNullsAndWholeSeconds() {
    WikiEvent e =
        accepted(
            """
            {"patrolled": true, "meta": {"id": "dd8c5690-2222-11e8-a2ad-1418776134f3",\
             "dt": "2018-03-07T16:16:17+00:00", "schema_uri": "mediawiki/recentchange/1",\
             "domain": "www.wikidata.org"}, "revision": {"new": 645091312, "old": null},\
             "length": {"new": 1438, "old": null}, "type": "new", "wiki": "wikidatawiki",\
             "namespace": 0, "id": null, "title": "Q1", "bot": true, "timestamp": 1520439377}""");

    assertThat(e.eventTimeMillis()).isEqualTo(1520439377000L);
    assertThat(e.rcId()).isNull();
    assertThat(e.lengthOld()).isNull();
    assertThat(e.revisionOld()).isNull();
    assertThat(e.lengthNew()).isEqualTo(1438L);
    assertThat(e.bot()).isTrue();
  }

  @ParameterizedTest(name = "log_params {0}")
  @ValueSource(strings = {"[]", "{\"target\":\"X\"}", "\"text\""})
  void logEventsWithoutLengthOrIdAndAnyShapeOfLogParams(String params) {
    WikiEvent e =
        accepted(
            "{\"meta\":{\"id\":\"c58f9f0f-1caa-4b71-a763-85164b89013e\","
                + "\"dt\":\"2026-05-05T11:17:40Z\",\"domain\":\"commons.wikimedia.org\"},"
                + "\"type\":\"log\",\"wiki\":\"commonswiki\",\"log_type\":\"upload\","
                + "\"log_action\":\"upload\",\"log_params\":"
                + params
                + "}");
    assertThat(e.logType()).isEqualTo("upload");
    assertThat(e.lengthNew()).isNull();
    assertThat(e.rcId()).isNull();
  }

  @Test
  void fallsBackToTimestampWhenMetaDtIsMissingOrUnreadable() {
    String noDt =
        "{\"meta\":{\"id\":\"c58f9f0f-1caa-4b71-a763-85164b89013e\"},\"type\":\"edit\","
            + "\"wiki\":\"enwiki\",\"timestamp\":1777979857}";
    String badDt = noDt.replace("{\"id\"", "{\"dt\":\"yesterday\",\"id\"");

    assertThat(accepted(noDt).eventTimeMillis()).isEqualTo(1777979857000L);
    assertThat(accepted(badDt).eventTimeMillis()).isEqualTo(1777979857000L);
  }

  @Test
  void canariesAreRecognisedNotStored() {
    String canary = EDIT_2026.replace("\"domain\":\"en.wikipedia.org\"", "\"domain\":\"canary\"");

    assertThat(parser.parse(raw(canary))).isInstanceOf(ParseResult.Canary.class);
  }

  @Test
  void capsHostileTextLengthsWithoutSplittingSurrogatePairs() {
    String longTitle = "a".repeat(EventParser.MAX_TITLE - 1) + "😀" + "b".repeat(5000);
    WikiEvent e = accepted(EDIT_2026.replace("Ada Lovelace", longTitle));

    assertThat(e.title()).hasSize(EventParser.MAX_TITLE - 1).doesNotContain("😀");
  }

  static Stream<Arguments> badEvents() {
    return Stream.of(
        Arguments.of("{\"meta\": {", "malformed JSON"),
        Arguments.of("not json at all", "malformed JSON"),
        Arguments.of("[1,2,3]", "not a JSON object"),
        Arguments.of(EDIT_2026 + " {}", "unexpected content after the JSON object"),
        Arguments.of(EDIT_2026.replace("\"meta\":{", "\"metax\":{"), "missing meta"),
        Arguments.of(
            EDIT_2026.replace("\"id\":\"500e90f8-36f3-4c1b-be8b-e8af2b55ccef\",", ""),
            "missing meta.id"),
        Arguments.of(
            EDIT_2026.replace("500e90f8-36f3-4c1b-be8b-e8af2b55ccef", "1-1-1-1-1"),
            "meta.id is not a UUID: 1-1-1-1-1"),
        Arguments.of(
            EDIT_2026.replace("\"type\":\"edit\"", "\"type\":\"hack\""), "unknown type: hack"),
        Arguments.of(
            EDIT_2026.replace("\"namespace\":0", "\"namespace\":\"zero\""),
            "field namespace: expected an integer, got a string"),
        Arguments.of(
            EDIT_2026.replace("\"bot\":false", "\"bot\":\"no\""),
            "field bot: expected a boolean, got a string"),
        Arguments.of(
            EDIT_2026.replace("\"length\":{\"old\":100", "\"length\":{\"old\":1.5"),
            "field length.old: expected an integer, got a number"),
        Arguments.of(
            EDIT_2026.replace("\"title\":\"Ada Lovelace\"", "\"title\":{\"x\":1}"),
            "field title: expected a string, got an object"),
        Arguments.of(
            EDIT_2026.replace("\"wiki\":\"enwiki\"", "\"wikix\":\"enwiki\""), "missing wiki"),
        Arguments.of(
            EDIT_2026.replace("\"wiki\":\"enwiki\"", "\"wiki\":\"<script>\""),
            "invalid wiki name: <script>"),
        Arguments.of(
            EDIT_2026.replace("2026-05-05T11:17:40.822Z", "9999-01-01T00:00:00Z"),
            "event time out of range: 9999-01-01T00:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("badEvents")
  void rejectsWithAReason(String json, String reason) {
    ParseResult r = parser.parse(raw(json));

    assertThat(r).isInstanceOf(ParseResult.Rejected.class);
    assertThat(((ParseResult.Rejected) r).reason()).startsWith(reason);
  }

  @Test
  void rejectsEventsOfSeveralMegabytes() {
    String huge =
        EDIT_2026.replace("\"comment\":\"typo\"", "\"comment\":\"" + "x".repeat(3 << 20) + "\"");

    ParseResult r = parser.parse(raw(huge));

    assertThat(((ParseResult.Rejected) r).reason()).startsWith("event too large");
  }

  @Test
  void aProblemFoundByTheSourceIsTheReason() {
    RawEvent bad = RawEvent.fromBytes("replay", null, EDIT_2026.getBytes(UTF_8), 0, "too large");

    assertThat(((ParseResult.Rejected) parser.parse(bad)).reason()).isEqualTo("too large");
  }

  @Test
  void bytesThatAreNotUtf8AreKeptAsTextWithTheProblemNoted() {
    byte[] bytes = EDIT_2026.getBytes(UTF_8);
    bytes[EDIT_2026.indexOf("typo") + 1] = (byte) 0xff;
    RawEvent bad = RawEvent.fromBytes("replay", null, bytes, 0, null);

    assertThat(bad.problem()).isEqualTo("invalid UTF-8");
    assertThat(bad.data()).contains("t\ufffdpo");

    assertThat(((ParseResult.Rejected) parser.parse(bad)).reason()).isEqualTo("invalid UTF-8");
  }

  @Test
  void everyRealRecordedEventIsAccepted() {
    for (Path sample :
        List.of(Samples.MULTIWIKI_2026, Samples.WIKIDATA_2018, Samples.NEW_ITEMS_2018)) {
      for (String line : Samples.lines(sample)) {
        assertThat(parser.parse(raw(line))).as(line).isInstanceOf(ParseResult.Accepted.class);
      }
    }
  }

  private WikiEvent accepted(String json) {
    ParseResult r = parser.parse(raw(json));
    assertThat(r).isInstanceOf(ParseResult.Accepted.class);
    return ((ParseResult.Accepted) r).event();
  }

  private static RawEvent raw(String json) {
    return RawEvent.of("recentchange", null, json, 0);
  }

  @Test
  void eventTimesReadTheSameAsJavaTimeReadsThem() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 20_000; i++) {
      java.time.Instant t =
          java.time.Instant.ofEpochSecond(
              978_307_200L + (long) (random.nextDouble() * 1_900_000_000L),
              random.nextInt(1_000_000_000));
      String iso = t.toString();
      // Every length of fraction, from none to nine digits.
      int digits = random.nextInt(10);
      String dt =
          iso.substring(0, 19)
              + (digits == 0 ? "" : "." + String.format("%09d", t.getNano()).substring(0, digits))
              + "Z";
      assertThat(EventParser.parseTime(dt))
          .as(dt)
          .isEqualTo(java.time.OffsetDateTime.parse(dt).toInstant().toEpochMilli());
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "2026-02-30T10:00:00Z",
        "2026-13-01T10:00:00Z",
        "2026-05-05T24:00:00Z",
        "2026-05-05T10:60:00Z",
        "2026-05-05T10:00:00.1x3Z",
        "2026-05-05 10:00:00Z",
        "2026-05-05T10:00:00",
        "+2026-05-05T10:00:00Z",
        "2026-05-05T10:00:00.1234567890Z"
      })
  void malformedEventTimesAreNotRead(String dt) {
    assertThat(EventParser.parseTime(dt)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void eventTimesWithAnOffsetAreReadInUtc() {
    assertThat(EventParser.parseTime("2026-05-05T12:00:00.5+02:00"))
        .isEqualTo(java.time.Instant.parse("2026-05-05T10:00:00.500Z").toEpochMilli());
  }
}
