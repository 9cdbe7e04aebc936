package io.switchboard.gateway.poll;

import io.switchboard.core.dialect.Family;
import io.switchboard.gateway.fanout.OpenStreams;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.event.Event;
import io.switchboard.gateway.fanout.OrderedDelivery;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.EventView;
import io.switchboard.gateway.live.LiveFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One long-poll as a subscriber: it is caught up and fed like a stream ({@link OrderedDelivery}: replayed from
 * memory or the log, then live, exactly once), but instead of writing frames it collects the events and is
 * answered at the first flush that found any, when it holds a page, when its access ends, or when the poll times
 * out. Lives on its event loop.
 */
final class PollWaiter extends OrderedDelivery {

  @Override
  public String transport() {
    return OpenStreams.POLL;
  }

  @Override
  public String family() {
    return OpenStreams.label(Family.CORE); // the generic endpoint's events
  }


  private final List<String> channels;
  private final int maxEvents;
  private final Consumer<PollWaiter> answer;
  private final List<Event> events = new ArrayList<>();
  private boolean full;
  private boolean answered;

  PollWaiter(Principal principal, EventView view, List<String> channels, int maxEvents, int maxHeldBytes,
             Consumer<PollWaiter> answer) {
    super(principal, view, maxHeldBytes);
    this.channels = channels;
    this.maxEvents = maxEvents;
    this.answer = answer;
  }

  @Override
  public List<String> channels() {
    return channels;
  }

  /** The events to answer with, in order, as this caller may see them. */
  List<Event> events() {
    return events;
  }

  /** Whether more events may be waiting after these (the answer held a full page). */
  boolean hasMore() {
    return full;
  }

  /** Answers now with what was collected (a timeout, a drain, the end of access); once. */
  void answerNow() {
    if (!answered) {
      answered = true;
      close();
      answer.accept(this);
    }
  }

  @Override
  protected int sizeOf(EncodedEvent e) {
    EncodedEvent seen = seen(e);
    return seen == null ? -1 : 64 + seen.event().data().length();
  }

  @Override
  protected void write(EncodedEvent e) {
    events.add(seen(e).event());
    if (events.size() >= maxEvents) {
      full = true;
    }
  }

  /** A dispatch (or a replayed page, or going live) ended: answer when there is something to say. */
  @Override
  protected void flushTransport() {
    if (full || (isLive() && !events.isEmpty())) {
      answerNow();
    }
  }

  /** A full page stops the replay (the resumer waits for room) and a live event beyond it cuts the waiter off. */
  @Override
  public boolean writable() {
    return !full;
  }

  @Override
  protected void closeTransport() {
    full = true;
    answerNow();
  }

  /** A poll that holds a page is not a slow consumer: it is answered, and the next poll takes the rest. */
  @Override
  public void cutOff() {
    closeTransport();
  }

  /** Positions and transient events are live state, not log events: a poll does not carry them. */
  @Override
  public boolean offerTransient(EncodedEvent e) {
    return false;
  }

  @Override
  public boolean offerLive(LiveFrame frame) {
    return false;
  }

  /** The token expired or the relation ended: answer what was collected; the next poll is refused or refreshed. */
  @Override
  public void accessEnded(String reason) {
    answerNow();
  }
}
