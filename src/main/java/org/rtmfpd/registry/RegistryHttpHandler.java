package org.rtmfpd.registry;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rtmfpd.log.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one aggregated HTTP request into the {@link RegistryService}'s answer: checks what the codec
 * could not decode (a 414 or 431 instead of a trace), allows only GET, decodes the path and query, and
 * writes the answer once the service's stage completes, on the channel's own event loop.
 */
final class RegistryHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
    /** Query parameters decoded per request; the rest are ignored. */
    static final int MAX_PARAMS = 32;

    private final RegistryService service;
    private final Consumer<RegistryEvent> counter;

    RegistryHttpHandler(RegistryService service, Consumer<RegistryEvent> counter) {
        this.service = service;
        this.counter = counter;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            Throwable cause = decoded.cause();
            RegistryAnswer a = cause instanceof TooLongHttpLineException
                    ? RegistryAnswer.error(414, RegistryEvent.TOO_LARGE, "the request line is too long (at most "
                            + RegistryServer.MAX_LINE_BYTES + " bytes)")
                    : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException
                    ? RegistryAnswer.error(431, RegistryEvent.TOO_LARGE, "the request headers are too large (at most "
                            + RegistryServer.MAX_HEADER_BYTES + " bytes)")
                    : RegistryAnswer.error(400, RegistryEvent.BAD_REQUEST, "this is not an HTTP request");
            send(ctx, a, false);
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            send(ctx, RegistryAnswer.error(405, RegistryEvent.BAD_REQUEST,
                    "only GET is served (the parameters go in the query string)"), false);
            return;
        }
        String path;
        Map<String, List<String>> params;
        try {
            QueryStringDecoder query = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true, MAX_PARAMS);
            path = query.path();
            params = query.parameters();
        } catch (IllegalArgumentException e) {
            send(ctx, RegistryAnswer.error(400, RegistryEvent.BAD_REQUEST, "the URL is not well percent-encoded"),
                    false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        service.answer(path, params).whenComplete((answer, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                LOG.warn("name registry request failed: {}", LogSafe.message(failure));
                send(ctx, RegistryAnswer.error(500, RegistryEvent.STORE_FAILED, "internal error"), false);
            } else {
                send(ctx, answer, keepAlive && answer.status() < 400);
            }
        }));
    }

    private void send(ChannelHandlerContext ctx, RegistryAnswer answer, boolean keepAlive) {
        for (RegistryEvent e : answer.events()) {
            counter.accept(e);
            LOG.debug("{} from {}", e.label(), ctx.channel().remoteAddress());
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.writeAndFlush(response(answer, keepAlive))
                .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }

    static FullHttpResponse response(RegistryAnswer answer, boolean keepAlive) {
        byte[] body = answer.bodyBytes();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (answer.status() == 405) {
            r.headers().set(HttpHeaderNames.ALLOW, "GET");
        }
        answer.refusal().ifPresent(reason -> r.headers().set("x-rtmfpd-refused", reason));
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("name registry connection from {} closed: {}", ctx.channel().remoteAddress(),
                LogSafe.message(cause));
        ctx.close();
    }
}
