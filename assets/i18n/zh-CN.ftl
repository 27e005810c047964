# synack 的简体中文消息。每个 id 与 en-US.ftl 一一对应，占位符（{ $name }）也必须相同。
# 协议字段名和字段值（tcp.flags.syn、ESTABLISHED、handshake-1）保持 Wireshark 的写法，不翻译。

## 计数

count-bytes = { $count } 字节
count-packets = { $count } 个分组
list-separator = 、

## 两端的角色

role-client = 客户端
role-server = 服务器
role-host = 主机
role-host-at = 主机 { $address }

## synack.explain：每个 TCP 报文段一句话，带真实的数值

explain-syn-refused = { $sender }请求连接端口 { $port }，初始序列号 x = { $x }，但该端口无人监听：{ $receiver }处于 CLOSED 状态，将以 RST 回应。
explain-syn = { $sender }请求建立连接，选定初始序列号 x = { $x }；{ $receiver }将从 { $state } 状态作出应答。
explain-syn-ack = { $sender }同意建立连接：选定自己的初始序列号 y = { $y }，并以确认号 ack = x+1 = { $ack } 确认对方的 SYN。
explain-handshake-ack = { $sender }以确认号 ack = y+1 = { $ack } 确认{ $receiver }的 SYN：三次握手完成，双方都进入 ESTABLISHED 状态，可以开始传输数据。
explain-data = { $sender }发送 { $len } 字节数据（相对序列号 { $first } 到 { $next }）；{ $receiver }将以确认号 { $next } 确认。
explain-ack = { $sender }确认已收到{ $receiver }发来的全部数据，直到相对序列号 { $ack }；该报文段不携带数据。
explain-fin-crossing = { $sender }已没有数据要发送：它的 FIN 序列号 seq = u = { $u }，进入 FIN-WAIT-1 状态。{ $receiver }自己的 FIN 也已在途中，两个 FIN 交错而过。
explain-fin = { $sender }已没有数据要发送：它的 FIN 序列号 seq = u = { $u }，进入 FIN-WAIT-1 状态；{ $receiver }得知{ $sender }已发送完毕，进入 CLOSE-WAIT 状态。
explain-fin-ack = { $sender }以确认号 ack = u+1 = { $ack } 确认{ $receiver }的 FIN，但暂不发送自己的 FIN；{ $receiver }现在处于 { $state } 状态。
explain-fin-ack-fin = { $sender }在同一个报文段中确认对方的 FIN（ack = u+1 = { $ack }）并发出自己的 FIN（seq = w = { $w }）：四次挥手只用了三个报文段。
explain-second-fin-crossed = { $sender }在收到{ $receiver }的 FIN 之前就发出了自己的 FIN（seq = w = { $w }）：两个 FIN 交错，双方都进入 CLOSING 状态。
explain-second-fin = { $sender }也已发送完毕：它的 FIN 序列号 seq = w = { $w }，进入 { $state } 状态。
explain-last-ack = { $sender }以确认号 ack = w+1 = { $ack } 确认最后一个 FIN：{ $receiver }现在处于 { $receiver_state } 状态，{ $sender }在 { $sender_state } 状态等待。
explain-rst-refused = { $sender }以 RST 拒绝连接：端口 { $port } 无人监听，双方都处于 CLOSED 状态。
explain-rst = { $sender }以 RST 中止连接：不经 FIN 交换，双方直接进入 CLOSED 状态。

## 时序图（synack flow、流程窗格及其 SVG 和 PNG）

note-syn = x = { $x }（初始序列号）
note-syn-ack = y = { $y }（初始序列号），x+1 = { $ack }
note-fin-ack-fin = w = { $w }，u+1 = { $ack }：ACK 与 FIN 在同一个报文段中发出
note-fins-crossed = w = { $w }：两个 FIN 交错
note-data = seq { $first } 到 { $next }（{ $len } 字节）
phase-handshake = 握手
phase-data = 数据
phase-close = 关闭
phase-title-handshake = 三次握手
phase-title-data = 数据传输
phase-title-close = 连接释放
ladder-seen = 已见：{ $phases }
ladder-fins-crossed = ；两个 FIN 交错（同时关闭）
ladder-close-in-three = ；第二个 FIN 同时确认了第一个（三个报文段完成挥手）
ladder-ended-by-rst = ；以 RST 结束
ladder-heading-relative = TCP 流 { $stream }：{ $left } <-> { $right }（相对序列号）
ladder-heading-absolute = TCP 流 { $stream }：{ $left } <-> { $right }（绝对序列号）
ladder-col-frame = 帧
ladder-col-time = 时间
ladder-col-step = 步骤
ladder-changed-note = （* 表示该分组使状态发生了变化）
ladder-packet-title = 分组 #{ $frame }：{ $step }

## 窗口：菜单

menu-file = 文件
menu-view = 视图
menu-capture = 捕获
menu-go = 跳转
menu-analyze = 分析
menu-statistics = 统计
menu-help = 帮助
menu-help-about = 一个讲解 TCP 的分组分析器。
menu-open = 打开…
menu-open-recent = 最近打开
menu-none = （无）
menu-open-sample = 打开示例捕获文件
menu-save-as = 捕获另存为…
menu-export = 导出特定分组…
menu-quit = 退出
menu-go-to-packet = 转到分组…  (Ctrl+G)
menu-find-packet = 查找分组…  (Ctrl+F)
menu-go-next = 下一个分组
menu-go-previous = 上一个分组
menu-go-first = 第一个分组
menu-go-last = 最后一个分组
menu-go-previous-in-conversation = 会话中的上一个分组  (Ctrl+,)
menu-go-next-in-conversation = 会话中的下一个分组  (Ctrl+.)
menu-decode-as = 解码为…
menu-colorize = 着色分组列表
menu-teaching = 教学模式（步骤列、讲解）
menu-diagram = 分组结构图（按 RFC 的画法展示首部）
menu-ladder-view = 时序图视图  (L)
menu-leave-ladder-view = 退出时序图视图  (L)
menu-theme = 主题
menu-language = 语言
menu-zoom-in = 放大  (Ctrl++)
menu-zoom-out = 缩小  (Ctrl+−)
menu-zoom-normal = 正常大小  (Ctrl+0)
menu-time-format = 时间显示格式
menu-precision-auto = 自动（按文件精度）
menu-precision-seconds = 秒
menu-precision-milliseconds = 毫秒
menu-precision-microseconds = 微秒
menu-precision-nanoseconds = 纳秒
menu-font-size = 字号
theme-system = 跟随桌面（浅色或深色）
theme-light = 浅色
theme-dark = 深色
theme-projector = 投影仪（高对比度）
time-relative = 自捕获开始经过的秒数
time-delta = 自上一个捕获分组经过的秒数
time-delta-displayed = 自上一个显示分组经过的秒数
time-absolute = 当日时间
time-absolute-date = 日期和当日时间
time-utc = UTC 当日时间
time-utc-date = UTC 日期和当日时间
time-epoch = 自 1970-01-01 经过的秒数

## The window: start page
start-tagline = 看清每个 TCP 分组的作用：握手、数据、关闭，以及两端的状态。
start-open-sample = ▶  打开示例捕获文件
start-open-sample-hint = 一个真实的连接：三次握手、一次请求与应答，以及四次挥手
start-open-file = 打开捕获文件…
start-drop-hint = 或将 .pcap / .pcapng / .gz 文件拖放到此窗口
start-capture-live = 实时捕获流量
start-capture-hint = 选择有流量经过的网卡（其曲线在变化），然后点击 ▶。
start-recent = 最近的文件
start-unsaved = 发现未保存的捕获
start-unsaved-hint = 有一个 synack 窗口在捕获时关闭了。打开它即可查看或保存。
start-unsaved-line = { $device } · 开始于 { $started } UTC · { $kib } KB
button-open = 打开
button-discard = 丢弃
button-cancel = 取消
button-close = 关闭
button-save = 保存

## The window: window titles (Statistics windows: `window-` + the English title's slug)
window-flow-graph = 流量图
window-conversations = 会话
window-endpoints = 端点
window-expert-information = 专家信息
window-protocol-hierarchy = 协议分级
window-io-graph = I/O 图表
window-plots = 绘图
window-tcp-stream-graphs = TCP 流图形
window-decode-as = 解码为…
window-export = 导出特定分组
window-packet-diagram = 分组结构图
window-follow = 追踪 TCP 流 (tcp.stream eq { $stream })

## The window: status bar
status-field = { $name } ({ $abbrev })，{ $len } 字节
status-filtering-progress = 正在过滤… 已检查 { $examined } / { $total }
status-filtering = 正在过滤…
status-capturing = 正在 { $device } 上捕获
status-capture-stopped-unsaved = { $device } 上的捕获已停止，尚未保存
status-capture-stopped = { $device } 上的捕获已停止
status-capture-counts = { $what } · 已接收 { $received } · 内核丢弃 { $dropped } · 接口丢弃 { $if_dropped }
status-loading = 正在加载… { $percent }%
status-loading-cancelled = 已取消加载
status-loaded-in = 加载用时 { $seconds } 秒
status-experts-errors = { $errors } 个错误，{ $warnings } 个警告
status-experts-warnings = { $warnings } 个警告
status-experts-notes = { $notes } 个注意
status-experts-chats = { $chats } 个对话
status-no-experts = 无专家信息
status-experts-hint = 专家信息：{ $errors } 个错误，{ $warnings } 个警告，{ $notes } 个注意，{ $chats } 个对话（点击打开“专家信息”）
status-no-capture = 未打开捕获文件
status-packets-displayed-percent = 分组：{ $total } · 已显示：{ $displayed }（{ $percent }%）
status-packets-displayed = 分组：{ $total } · 已显示：{ $displayed }

## The window: the teaching strip
explain-select-hint = 选择一个分组：这里会讲解它在 TCP 连接中的作用。
explain-states = 发送方 → { $sender }，接收方 → { $receiver }

## The window: toolbar
tool-open = 📂 打开
tool-sample = 示例
tool-sample-hint = 打开内置的示例捕获文件
tool-stop = ■ 停止
tool-stop-hint = 停止捕获（已捕获的分组保留）
tool-capture-hint = 在 { $device } 上捕获（“捕获”菜单：选择接口和过滤器）
tool-capture-choose = 请在“捕获”菜单中选择接口
tool-capture = ▶ 捕获
tool-prev = ⏶ 上一个
tool-next = ⏷ 下一个
tool-ladder-view = ⛶ 时序图视图
tool-leave-ladder-view = ✖ 时序图视图
tool-ladder-view-hint = 在窗口中显示所选连接的完整时序图 (L)
tool-go-to = 转到…
tool-go-to-hint = 转到分组 (Ctrl+G)
tool-find = 🔍 查找…
tool-find-hint = 查找分组 (Ctrl+F)
tool-zoom-out-hint = 缩小 (Ctrl+−)
tool-zoom-reset-hint = 恢复缩放 (Ctrl+0)
tool-zoom-in-hint = 放大 (Ctrl++)

## The window: packet list columns (a field's column keeps its Wireshark name)
column-number = 序号
column-time = 时间
column-delta = 时间差
column-source = 源地址
column-destination = 目的地址
column-protocol = 协议
column-length = 长度
column-step = 步骤
column-info = 信息

## The window: filter bar (the filters themselves stay in Wireshark's language)
filter-label = 过滤器：
filter-hint = 显示过滤器，例如 tcp.flags.syn == 1（按回车应用）
filter-apply = 应用
filter-clear = 清除
filter-history = 历史
filter-saved = 常用 ▾
filter-error = ✖ { $message }（第 { $position } 个字符处）
saved-handshake = 握手
saved-handshake-tip = 三次握手：SYN、SYN+ACK 以及完成握手的 ACK
saved-close = 关闭
saved-close-tip = 连接释放：各个 FIN 及其 ACK
saved-resets = 复位
saved-resets-tip = 以 RST 中止或拒绝的连接
saved-retransmissions = 重传
saved-retransmissions-tip = 再次发送的报文段
saved-problems = 问题
saved-problems-tip = tshark 的 TCP 分析标记出的所有问题

## The window: detail tabs, ladder view, flow pane
tab-details = 详情
tab-ladder = 时序图
tab-ladder-hint = 以时序图显示所选连接（L：占满整个窗口）
ladder-back = ✖ 返回分组列表
ladder-back-hint = 退出时序图视图（L 或 Esc）
ladder-prev = ◀ 上一个
ladder-prev-hint = 本连接的上一个分组 (Ctrl+,)
ladder-next = 下一个 ▶
ladder-next-hint = 本连接的下一个分组 (Ctrl+.)
ladder-save-svg = 保存 SVG…
ladder-save-png = 保存 PNG…
ladder-view-title = 时序图视图
ladder-stream-line = TCP 流 { $stream }：{ $left } ↔ { $right }
ladder-select-in-strip = 请在下方的分组条中选择一个 TCP 分组
flow-select-hint = 选择一个 TCP 分组，即可看到其连接的时序图。
flow-stream = TCP 流 { $stream }
flow-ladder-view-hint = 在窗口中显示整个连接 (L)
flow-earlier-omitted = （本流之前的 { $count } 个分组未显示）
flow-ladder-view-select = 选择一个 TCP 分组：时序图视图会画出它的整个连接。
flow-later-omitted = （之后的 { $count } 个分组未显示）

## The window: packet list menus
related-acked = 所选分组确认了此报文段
related-request = 所选分组应答的请求
related-response = 对所选分组的响应
related-other = 所选分组引用的分组
menu-packet = 分组 { $frame }
menu-filter-source = 按源地址过滤：{ $filter }
menu-filter-destination = 按目的地址过滤：{ $filter }
menu-filter-protocol = 按协议过滤：{ $filter }
menu-follow-stream = 追踪 TCP 流 { $stream }
menu-filter-stream = 按 TCP 流 { $stream } 过滤
menu-ladder-of-connection = 此连接的时序图视图 (L)
menu-unmark = 取消标记分组
menu-mark = 标记分组
menu-reset-columns = 重置列
column-hint = 右键：设置列
menu-remove-column = 移除列“{ $column }”
menu-move-left = 左移
menu-move-right = 右移

## The window: Go to and Find
search-go-to-label = 转到分组：
search-number-hint = 编号
search-go-to = 转到分组
search-not-a-number = “{ $text }”不是分组编号
search-find-label = 查找：
search-by-filter = 显示过滤器
search-by-hex = 十六进制值
search-by-string = 字符串
search-in-list = 分组列表
search-in-details = 分组详情
search-in-bytes = 分组字节
search-case = 区分大小写
search-previous = ◀ 上一个
search-next = 查找 ▶
search-close-hint = 关闭 (Esc)
ladder-title = { $file } 的 TCP 流 { $stream }

## The window: detail tree, bytes, packet diagram
tree-select-hint = 选择一个分组以查看其字段。
tree-expand-hint = 展开或折叠
tree-apply-filter = 作为过滤器应用：{ $filter }
tree-prepare-filter = 准备为过滤器
tree-graph-field = 绘制此字段的图表
tree-apply-column = 应用为列：{ $field }
tree-copy-value = 复制值
tree-copy-line = 复制此行
bytes-hint = 所选分组的字节显示在这里。
diagram-heading = 分组 { $frame } 的 { $protocol } 首部（{ $len } 字节）
diagram-hint = 点击一个方框，即可在树和字节中选中对应字段。
diagram-none = 此分组没有 synack 能画出的首部（Ethernet、IPv4、IPv6、UDP、TCP、ICMP）。
diagram-select-hint = 选择一个分组以查看其首部结构图。
message-dismiss = 关闭提示

## The window: capture
capture-filter = 捕获过滤器
capture-filter-hint = BPF，如 tcp port 80（空：全部）
capture-options = 捕获选项
capture-kernel-buffer = 内核缓冲区
capture-promiscuous = 混杂模式
capture-stop-after = 自动停止于
capture-unit-packets = { " " }个分组
capture-unit-seconds = { " " }秒
capture-looking = 正在查找捕获设备…
capture-start-on-hint = 开始在 { $device } 上捕获
capture-interfaces = 接口
capture-start-on = ▶ 在 { $device } 上开始
capture-start = ▶ 开始
capture-choose-hint = 请在上方选择一个接口（并填写有效的过滤器）

## The window: dialogs
quit-heading = 保存已捕获的分组吗？
quit-body = 已捕获的 { $count } 个分组只保存在临时文件中。不保存就退出将丢弃它们。
quit-save = 保存…
quit-discard = 不保存并退出
export-displayed = 所有显示的分组（{ $count }）
export-selected = 所选分组（{ $count }）
export-marked = 标记的分组（{ $count }）
export-range = 范围：
export-format = 格式：
export-pcap-nanos = pcap（纳秒）
export-save-as = 另存为…
decode-as-intro = 将某个端口的流量按另一种协议解码（与 -d 相同）。
decode-as-add = + 添加一行
button-ok = 确定
decode-as-field = 字段
decode-as-value = 值
decode-as-protocol = 解码为
decode-as-remove = 删除此行
follow-missing = 此捕获中没有 TCP 流 { $stream }。
follow-hex = 十六进制转储
follow-copy = 复制
follow-hint = 以制表符缩进的行由节点 1（服务器一侧）发送。

## The window: messages
export-range-empty = 请在“范围”中填写要导出的分组，例如 1-10,15
export-range-invalid = “{ $range }”不是有效的分组范围：请写成 N、N-M、N- 或 -M，例如 1-10,15
file-svg = SVG 图像
file-png = PNG 图像
file-captures = 捕获文件
file-all = 所有文件
message-damaged = 捕获文件在第 { $offset } 字节处损坏：{ $what }。已列出损坏之前的 { $count } 个分组。（{ $path }）
message-saved-flow = 已将时序图保存到 { $path }
message-save-flow-failed = 无法保存时序图：{ $error }
message-saved = 已保存 { $path }
message-save-failed = 无法保存：{ $error }
message-exported = 已导出到 { $path }
message-export-failed = 导出失败：{ $error }
search-no-packet = 没有分组 { $frame }
search-not-displayed = 分组 { $frame } 未显示（已被过滤）
search-hex-help = 十六进制值由成对的十六进制数字组成，例如 47 45 54
search-type-string = 请输入要查找的字符串
search-searching = 正在查找…
search-found = 找到分组 { $frame }
search-no-match = 没有匹配的分组
title-capturing = synack — 正在 { $device } 上捕获

## Statistics windows: headings (`heading-` + the English heading's slug) and words
heading-sort = 排序
heading-address-a = 地址 A
heading-port-a = 端口 A
heading-address-b = 地址 B
heading-port-b = 端口 B
heading-packets = 分组
heading-bytes = 字节
heading-packets-a-b = 分组 A → B
heading-bytes-a-b = 字节 A → B
heading-packets-b-a = 分组 B → A
heading-bytes-b-a = 字节 B → A
heading-rel-start = 相对开始
heading-duration = 时长
heading-bitss-a-b = 比特/秒 A → B
heading-bitss-b-a = 比特/秒 B → A
heading-completeness = 完整性
heading-final-states-a-b = 最终状态 A / B
heading-address = 地址
heading-port = 端口
heading-tx-packets = 发送分组
heading-tx-bytes = 发送字节
heading-rx-packets = 接收分组
heading-rx-bytes = 接收字节
heading-severity = 严重程度
heading-group = 类别
heading-protocol = 协议
heading-count = 计数
heading-summary = 摘要
heading-percent-packets = 分组百分比
conv-filter-both = 按 { $a } ↔ { $b } 过滤
conv-filter-one = 按 { $a } → { $b } 过滤
conv-open-ladder = 打开其时序图
conv-open-stream-graph = 打开其流图形
stats-limit = 限制为显示过滤器
stats-no-filter = 未应用显示过滤器
stats-counting = 正在统计…
endpoint-filter = 按此过滤
endpoint-filter-source = 作为源地址过滤
endpoint-filter-destination = 作为目的地址过滤
experts-none = 没有专家信息。
flows-counts = { $nodes } 个节点，{ $items } 个条目
flows-not-drawn = ；最后 { $count } 个分组未绘出：请用显示过滤器限制图表范围

## Statistics windows: graphs (`graph-`, `axis-`, `series-` + the English name's slug)
heading-name = 名称
heading-display-filter = 显示过滤器
heading-colour = 颜色
heading-style = 样式
heading-y-axis = Y 轴
heading-y-field = Y 字段
graph-packets = 分组
graph-bytes = 字节
graph-bits = 比特
graph-line = 折线
graph-bar = 柱状
graph-dot = 点
graph-step = 阶梯
graph-time-sequence-stevens = 时间序列 (Stevens)
graph-time-sequence-tcptrace = 时间序列 (tcptrace)
graph-throughput = 吞吐量
graph-round-trip-time = 往返时间
graph-window-scaling = 窗口缩放
graph-title = { $direction } 的{ $graph }
graph-stream = 流
graph-switch = 切换方向
graph-switch-hint = 绘制另一方向的数据
graph-relative = 相对序列号
graph-average-over = 平均时长
graph-reading = 正在读取流…
graph-no-stream = 没有 TCP 流：请选择一个 TCP 分组，或选择一个流编号。
graph-points = { $count } 个点
graph-sums = → { $out_segments } 个报文段，{ $out_bytes } 字节 ← { $back_segments } 个报文段，{ $back_bytes } 字节
axis-time = 时间（秒）
axis-sequence-number-b = 序列号（字节）
axis-throughput-bitss = 吞吐量（比特/秒）
axis-round-trip-time-ms = 往返时间（毫秒）
axis-bytes = 字节
series-segment = 报文段
series-receive-window = 接收窗口
series-retransmission = 重传
series-duplicate-ack = 重复 ACK
series-zero-window = 零窗口
series-segment-throughput = 报文段吞吐量
series-bytes-in-flight = 在途字节数
series-average-over = { $seconds } 秒内平均
io-every-packet = 所有分组
io-next-colour = 下一种颜色
io-remove = 删除
io-values = 数值
io-interval-start = 区间开始（秒）
io-per-interval = { $unit }/{ $interval }
io-add-graph = + 添加图表
io-interval = 时间间隔
io-log-scale = 对数刻度
chart-save-csv = 保存 CSV…
chart-hint = 拖动以平移 · Ctrl+滚轮缩放 · 右键拖出方框放大 · 双击复位 · 点击数据点选中其分组

## The synack pseudo-protocol's tree line
synack-label = synack：{ $step }（发送方 { $sender }，接收方 { $receiver }）
synack-label-relation = ，{ $relation }
plots-plot = 绘制
plots-values = { $field } 的 { $count } 个值
bytes-frame = 帧（{ $len } 字节）
plots-title = { $field } 随时间的变化

## 课程：每个分析标记的含义（tcp/lessons.rs，显示在时序图下方）

lesson-range-bytes = 字节 { $first }–{ $last }
lesson-range-byte = 字节 { $first }
lesson-syn-again = 帧 { $frame } 再次发送帧 { $original } 的 SYN：没有收到 SYN+ACK，{ $sender }于是重试一次。
lesson-syn-again-alone = 帧 { $frame } 再次发送它的 SYN：没有收到 SYN+ACK。
lesson-spurious = 帧 { $frame } 重传了{ $range }，但{ $receiver }早已在帧 { $acked } 中确认过这些数据：这是一次不必要的（伪）重传。
lesson-spurious-alone = 帧 { $frame } 重传了已被确认的{ $range }：这是一次不必要的（伪）重传。
lesson-fast-retransmission = 帧 { $frame } 立即重传{ $range }{ $first_sent }，没有等待超时：{ $receiver }的重复确认{ $dups }表明它仍缺少字节 { $seq }。这就是快速重传。
lesson-first-sent = （首次发送于帧 { $frame }）
lesson-dups-one = （帧 { $frame }）
lesson-dups-many = （帧 { $first } 至 { $last }）
lesson-retransmission = 帧 { $frame } 重传了首次发送于帧 { $original } 的{ $range }：这些数据没有及时得到确认（ACK），{ $sender }于是重新发送。
lesson-retransmission-alone = 帧 { $frame } 重传了{ $range }：{ $sender }没有及时收到对这些数据的确认（ACK）。
lesson-out-of-order = 帧 { $frame } 携带{ $range }，它们位于帧 { $highest } 已发送的字节之前：该报文段乱序到达。
lesson-out-of-order-alone = 帧 { $frame } 乱序携带{ $range }。
lesson-dup-ack = 帧 { $frame } 重复了帧 { $original } 的确认（ack { $ack }），即重复确认：{ $sender }仍在等待字节 { $ack }，说明后面的字节已经到达，但它们之前有一个报文段丢失了。
lesson-dup-ack-alone = 帧 { $frame } 重复了之前的确认（ack { $ack }）：{ $sender }仍在等待字节 { $ack }。
lesson-zero-window = 帧 { $frame } 通告的窗口为 0（零窗口）：{ $sender }的接收缓冲区已满，{ $receiver }必须停止发送，直到窗口重新打开。
lesson-window-full = 帧 { $frame } 填满了{ $receiver }在帧 { $advertised } 中通告的 { $window } 字节窗口（窗口已满）：{ $sender }现在必须等到确认（ACK）后才能继续发送。
lesson-window-full-alone = 帧 { $frame } 填满了{ $receiver }的窗口（窗口已满）：{ $sender }必须等到确认（ACK）后才能继续发送。
lesson-keep-alive = 帧 { $frame } 是保活报文段：它重发下一个字节之前的那个字节（seq { $seq }），只是为了询问{ $receiver }是否仍然在线。
lesson-zero-window-probe = 帧 { $frame } 用一个字节探测{ $receiver }的零窗口，以便得知窗口何时重新打开（零窗口探测）。
lesson-window-update = 帧 { $frame } 只改变了窗口：从 { $old } 字节（帧 { $previous }）变为 { $window }。它既不带数据也没有新的确认，只是告诉{ $receiver }可以继续发送（窗口更新）。
lesson-window-update-alone = 帧 { $frame } 只改变了窗口（变为 { $window } 字节）：告诉{ $receiver }可以继续发送（窗口更新）。
lesson-refused = 帧 { $frame } 以 RST 回应帧 { $syn } 的 SYN：端口 { $port } 无人监听，连接被拒绝。
lesson-reset = 帧 { $frame } 复位了连接：{ $sender }立即中止连接，双方都不再发送，尚未交付的数据全部丢失。
lesson-unanswered-syn = 帧 { $frame } 的 SYN 没有得到任何应答：既没有 SYN+ACK 也没有 RST，说明{ $receiver }已关机、不可达，或者被防火墙丢弃了。
lesson-waiting = 现在{ $left }（{ $left_state }）等待{ $left_waits }；{ $right }（{ $right_state }）等待{ $right_waits }。
waits-closed = 无：它没有连接
waits-listen = 一个 SYN
waits-syn-sent = 对其 SYN 的应答 SYN+ACK
waits-syn-received = 对其 SYN 的确认（ACK）
waits-established = 数据，或开始关闭连接的 FIN
waits-fin-wait-1 = 对其 FIN 的确认（ACK）
waits-fin-wait-2 = 对端的 FIN
waits-close-wait = 应用程序关闭连接，然后发送自己的 FIN
waits-closing = 对其 FIN 的确认（ACK）（两个 FIN 交错而过）
waits-last-ack = 对其 FIN 的确认（ACK），之后连接关闭
waits-time-wait = 两倍的最大报文段生存时间（2MSL），以防最后一个 ACK 丢失
waits-other = 下一个分组

## synack.offload：校验和与报文段长度透露的网卡卸载信息

offload-partial = 校验和 { $field } 并非偶然出错：它只是伪首部的累加和（“部分”校验和）。发送主机把其余计算交给了网卡（校验和卸载），网卡在抓包点看到该分组之后才填入 { $correct }。这不是数据损坏。
offload-wrong = 校验和 { $field } 错误（应为 { $correct }）：如果该主机发出的每个分组校验和都错误，说明是网卡在抓包之后才计算校验和（校验和卸载）；否则就是报文段已损坏。
offload-tso-syn = 该报文段携带 { $len } 字节，超过了 SYN 所通告的 { $mss } 字节 MSS（最大报文段长度），因此它从未以这个大小出现在线路上：发送方内核构造了一个大报文段（TSO/GSO，分段卸载），由网卡在抓包点看到它之后切分成最多 { $mss } 字节的分组。连接并没有问题。
offload-tso = 该报文段携带 { $len } 字节，超过以太网路径 { $mss } 字节的 MSS：内核构造了一个大报文段（TSO/GSO），由网卡在抓包点之后把它切分成 MSS 大小的分组。

## 时序图旁的算术（每个箭头旁）

arith-data = seq { $seq } + len { $len } = { $end }：对端将确认 { $end }
arith-ack = ack { $ack } = { $seq } + { $len }（#{ $frame } 的 seq + len）
arith-absolute = 绝对值：seq { $seq }，ack { $ack }
arith-absolute-no-ack = 绝对值：seq { $seq }
arith-join = ；

## 窗口：单步、预测和排序模式，连接选择器

teach-first = ⏮ 第一个
teach-first-hover = 回到该连接的第一个分组
teach-prev = ◀ 上一个
teach-prev-hover = 该连接的上一个分组（← 或 Ctrl+,）
teach-next = 下一个 ▶
teach-next-hover = 该连接的下一个分组（→ 或 Ctrl+.）
teach-play = ▶ 播放
teach-pause = ⏸ 暂停
teach-play-hover = 自动逐个分组演示该连接（空格键）
teach-pace = 速度
teach-pace-seconds = 每个分组 { $seconds } 秒
teach-position = 第 { $at } 个分组，共 { $of } 个
teach-predict = 预测
teach-predict-hover = 测验：时序图隐藏后续内容，由你说出下一个分组携带什么
teach-reorder = 握手与挥手排序
teach-student = 学生
teach-student-hover = 在时序图下方显示讲解和课程（关闭：专家模式，只显示时序图）
teach-picker = 连接…
teach-picker-title = 选择一个连接
teach-arithmetic = 算术
teach-arithmetic-hover = 在每个箭头旁写出 ack = seq + len，并把每个 ACK 连到它所确认的报文段
teach-absolute-too = 同时显示绝对值
teach-absolute-too-hover = 在相对序列号旁同时显示绝对序列号（tcpdump -S）
teach-score = 流 { $stream } 得分：{ $asked } 题答对 { $right } 题
teach-question-ack = { $sender }在下一个分组（帧 { $frame }）中发送的确认号是多少？可按梯形图的相对序号（每一方的初始序号记为 0）输入，也可输入线路上的绝对序号；若其 ACK 标志未置位，输入“none”（或“无”）。
teach-question-flags = 下一个分组（帧 { $frame }，来自{ $sender }）携带哪些标志？
teach-question-states = 下一个分组（帧 { $frame }，来自{ $sender }）之后，两端分别处于什么状态（左 / 右）？
teach-ask-ack = 问它的确认号
teach-ask-flags = 问它的标志
teach-ask-states = 问接下来的状态
teach-check = 检查
teach-verdict-right = 正确。{ $why }
teach-verdict-wrong = 不太对。{ $why }
teach-why-ack-relation = 帧 { $frame } 携带确认号 ack { $ack }{ $wire }：{ $relation }。{ $explain }
teach-why-ack = 帧 { $frame } 携带确认号 ack { $ack }{ $wire }：{ $sender }确认了 { $ack } 之前的所有字节，{ $ack } 正是它期待的下一个字节。
teach-ack-on-the-wire = （相对序号；线路上为 { $raw }）
teach-why-no-ack = 帧 { $frame } 的 ACK 标志未置位，因此没有确认号。
teach-why-flags = 帧 { $frame } 携带 { $flags }：{ $explain }
teach-why-states = 帧 { $frame } 之后，左端处于 { $left }，右端处于 { $right }：{ $explain }
teach-reorder-help = 握手和挥手的这些分组已被打乱：请按它们的发送顺序依次点击。x 和 y 分别是客户端和服务器的初始序号，u 和 w 分别是第一个和第二个 FIN 的序号。
teach-quiz-error = 测验文件：{ $what }：{ $path }
teach-quiz-no-file-name = 该抓包没有文件名
teach-export-quiz = 导出测验…
teach-export-quiz-hover = 把该连接保存为测验文件（附带一份抓包副本），供学生打开
teach-next-question = 下一题 ▶
teach-quiz-position = 第 { $at } 题，共 { $of } 题
teach-ladder-hidden = 在你把握手和挥手重新排好顺序之前，时序图暂时隐藏。
teach-start-over = 重新开始
teach-close = 关闭
teach-order-right = 正确：x 在 x+1 之前，y 在 y+1 之前，u 在 u+1 之前，w 在 w+1 之前，这正是这些分组的发送顺序。
teach-order-wrong = 不太对：每个 ack 都必须回应一个已经发出的 seq（ack=x+1 在 seq=x 之后，ack=u+1 在 seq=u 之后）。请重新开始再试一次。
teach-col-stream = 流
teach-col-client = 客户端
teach-col-server = 服务器
teach-col-packets = 分组数
teach-col-duration = 时长
teach-duration = { $seconds } 秒
teach-col-outcome = 连接结果
teach-col-meaning = 含义
teach-badge-complete = 完整
teach-badge-reset = 复位
teach-badge-refused = 被拒绝
teach-badge-syn-only = 仅 SYN
teach-badge-no-close = 未关闭
teach-badge-mid-stream = 中途开始
teach-badge-hover-complete = 握手和挥手都已看到
teach-badge-hover-reset = 握手之后以 RST 结束
teach-badge-hover-refused = SYN 得到 RST 应答：无人监听
teach-badge-hover-syn-only = 一个无人应答的 SYN
teach-badge-hover-no-close = 看到了握手，但没有 FIN 或 RST
teach-badge-hover-mid-stream = 抓包开始于握手之后
teach-open-ladder = 打开它的时序图

## 窗口：打开文件与实时捕获的消息（系统或捕获助手给出的原因原样保留在框架内）
message-cannot-read = 无法读取 { $path }：{ $error }
io-not-found = 文件或目录不存在（{ $system }）
io-permission-denied = 没有权限（{ $system }）
open-not-a-capture = 不是捕获文件：开头为 { $magic }，应为 pcap (a1b2c3d4)、pcapng (0a0d0d0a) 或 gzip (1f8b) 的魔数：{ $path }
open-too-short = 文件太短，不是捕获文件（{ $len } 字节；{ $format } 文件头需要 { $needed } 字节）：{ $path }
open-no-room = 未打开：{ $path } 解压后至少需要 { $needed }，而临时文件夹 { $dir } 只剩 { $free }；请把 TMPDIR 设为空间更大的文件夹，或在空间足够的地方用 gunzip 解压后再打开
open-bad-header = 文件头无法使用（{ $what }）：{ $path }
message-sample-unwritable = 无法将示例捕获写入 { $path }：{ $error }
message-capture-gone = 该捕获已不可用
message-export-running = 已有一个导出正在进行，请等它完成
message-no-thread = 无法启动 { $name } 线程：{ $error }
message-capture-failed = 捕获未能开始：{ $reason }
message-capture-ended = 捕获已结束：{ $reason }
capture-cannot-create = 无法创建捕获文件 { $path }：{ $error }；请检查临时文件夹是否可写
capture-no-reader = 无法启动状态读取线程：{ $error }
capture-no-pipe = 捕获助手没有 stderr 管道
capture-helper-ended = 捕获助手 { $program } 已退出：{ $status }
capture-unreadable = 无法读取捕获文件
capture-lost-helper = 与捕获助手失去联系：{ $error }
capture-no-devices = 无法列出捕获设备：{ $reason }
filter-refused = { $message }（第 { $position } 个字符处）
search-example = 例如 { $example }
bytes-source = { $name }（{ $len } 字节）

## 统计窗口：I/O 图表的名称、间隔与单位
io-all-packets = 所有分组
io-tcp-errors = TCP 错误
io-graph-number = 图表 { $number }
io-not-a-field = “{ $field }”不是字段
graph-1-ms = 1 毫秒
graph-10-ms = 10 毫秒
graph-100-ms = 100 毫秒
graph-1-s = 1 秒
graph-10-s = 10 秒
graph-1-min = 1 分钟
graph-10-min = 10 分钟
graph-sumy-field = SUM(Y 字段)
graph-miny-field = MIN(Y 字段)
graph-maxy-field = MAX(Y 字段)
graph-avgy-field = AVG(Y 字段)
graph-county-field = COUNT(Y 字段)

## 连接选择器：连接的备注
teach-badge-notes = { $badge }（{ $notes }）
teach-note-separator = 、
teach-note-half-close = 半关闭
teach-note-simultaneous-close = 同时关闭
teach-note-three-packet-close = 三次挥手关闭
teach-note-one-fin = 仅一个 FIN
teach-note-rst-after-close = 关闭后 RST
teach-note-syn-retransmitted = SYN 重传
teach-note-simultaneous-open = 同时打开
teach-note-partial-handshake = 握手不完整
teach-note-ports-reused = 端口重用

## 捕获菜单：设备状态
capture-device-up = 已启用
capture-device-down = 未启用
capture-device-running = 运行中
capture-device-loopback = 环回
capture-device-wireless = 无线
capture-device-separator = 、
capture-rate = { $rate } 个/秒
teach-quiz-files = synack 测验
